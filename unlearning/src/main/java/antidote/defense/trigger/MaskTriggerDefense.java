package antidote.defense.trigger;

import antidote.data.Dataset;
import antidote.defense.Defense;
import antidote.defense.RoundObserver;
import antidote.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Neural Cleanse and TABOR share: search a mask trigger for every class, flag the classes whose mask's L1
 * norm is an outlier below the median, optionally prune flags whose trigger never reached the attack success
 * rate, unlearn the remaining triggers, and report and draw them. Each of the two is this class with its own
 * settings record and search penalty.
 */
public abstract class MaskTriggerDefense implements Defense {
    private final String defense;
    private final MaskSearch.Settings search;
    private final SearchPenalty penalty;
    private final double threshold;
    private final boolean pruneFailed;
    private final TriggerUnlearning.Settings unlearning;
    private final long seed;
    private List<MaskTrigger> triggers = List.of();
    private Detection detection;
    private List<Integer> unlearned = List.of();

    /**
     * @param pruneFailed drop flagged classes whose search never reached the attack success rate (a small mask
     *                    that does not work is a false alarm, not a trigger)
     */
    protected MaskTriggerDefense(String defense, MaskSearch.Settings search, SearchPenalty penalty, double threshold,
                           boolean pruneFailed, TriggerUnlearning.Settings unlearning, long seed) {
        this.defense = defense;
        this.search = search;
        this.penalty = penalty;
        this.threshold = threshold;
        this.pruneFailed = pruneFailed;
        this.unlearning = unlearning;
        this.seed = seed;
    }

    @Override
    public String name() {
        return defense;
    }

    /** Search, detection and unlearning. */
    @Override
    public void purify(Module model, Dataset cleanSet, RoundObserver observer) {
        int steps = search.maxEpochs() + TriggerUnlearning.batchesPerEpoch(cleanSet, unlearning);
        triggers = MaskSearch.run(defense, model, cleanSet, cleanSet.numClasses(), search, penalty, seed,
                epoch -> observer.afterStep(1, epoch, steps));
        detection = Detection.of("mask L1 norm", triggers.stream().mapToDouble(MaskTrigger::norm).toArray(),
                threshold);
        unlearned = detection.flagged().stream().filter(c -> !pruneFailed || triggers.get(c).succeeded()).toList();
        TriggerUnlearning.run(defense, model, cleanSet, unlearned.stream().map(triggers::get).toList(), unlearning,
                seed, observer, search.maxEpochs(), steps);
    }

    /** The recovered trigger of every class, by class; empty before {@link #purify}. */
    public List<MaskTrigger> triggers() {
        return triggers;
    }

    /** The outlier test on the mask norms; null before {@link #purify}. */
    public Detection detection() {
        return detection;
    }

    /** The classes whose triggers were unlearned: the flagged ones, less those pruned. */
    public List<Integer> unlearned() {
        return unlearned;
    }

    /** The detection's findings, each class's search epochs and success, and what was unlearned. */
    @Override
    public Map<String, Object> findings() {
        if (detection == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>(detection.findings());
        out.put("searchEpochs", triggers.stream().map(MaskTrigger::epochs).toList());
        out.put("reachedAttackSuccess", triggers.stream().map(MaskTrigger::succeeded).toList());
        if (pruneFailed) {
            out.put("unlearned", unlearned);
            out.put(Detection.DETECTED, !unlearned.isEmpty());
            out.put("verdict", unlearned.isEmpty()
                    ? "no trigger to unlearn" + (detection.flagged().isEmpty() ? "" : " (flagged "
                    + detection.flagged() + " pruned: their triggers never reached the attack success rate)")
                    + ": the model is returned unchanged"
                    : "unlearned the triggers of " + unlearned);
        }
        return out;
    }

    /** Each class's recovered mask, pattern and trigger as {@code class-<t>-mask.png} and so on. */
    @Override
    public void writeArtifacts(Path outDir) throws IOException {
        for (MaskTrigger t : triggers) {
            TriggerImages.write(t, outDir, "class-" + t.target() + "-", 8);
        }
    }
}
