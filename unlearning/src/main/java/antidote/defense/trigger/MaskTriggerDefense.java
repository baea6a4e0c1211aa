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
 * What Neural Cleanse and TABOR share: search a mask trigger for every class, flag the classes whose statistic
 * (the mask's L1 norm, unless a subclass measures its triggers otherwise) is an outlier below the median, unlearn
 * the flagged triggers, and report and draw them. Each of the two is this class with its own settings record and
 * search penalty.
 */
public abstract class MaskTriggerDefense implements Defense {
    private final String defense;
    private final MaskSearch.Settings search;
    private final SearchPenalty penalty;
    private final double threshold;
    private final TriggerUnlearning.Settings unlearning;
    private final long seed;
    private List<MaskTrigger> triggers = List.of();
    private Detection detection;

    protected MaskTriggerDefense(String defense, MaskSearch.Settings search, SearchPenalty penalty, double threshold,
                                 TriggerUnlearning.Settings unlearning, long seed) {
        this.defense = defense;
        this.search = search;
        this.penalty = penalty;
        this.threshold = threshold;
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
        detection = detect(triggers, model, cleanSet, threshold);
        TriggerUnlearning.run(defense, model, cleanSet, detection.flagged().stream().map(triggers::get).toList(),
                unlearning, seed, observer, search.maxEpochs(), steps);
    }

    /** The outlier test on the recovered triggers; Neural Cleanse's runs on the masks' L1 norms. */
    protected Detection detect(List<MaskTrigger> triggers, Module model, Dataset cleanSet, double threshold) {
        return Detection.of("mask L1 norm", triggers.stream().mapToDouble(MaskTrigger::norm).toArray(), threshold);
    }

    /** The recovered trigger of every class, by class; empty before {@link #purify}. */
    public List<MaskTrigger> triggers() {
        return triggers;
    }

    /** The outlier test on the mask norms; null before {@link #purify}. */
    public Detection detection() {
        return detection;
    }

    /** The classes whose triggers were unlearned: the flagged ones; empty before {@link #purify}. */
    public List<Integer> unlearned() {
        return detection == null ? List.of() : detection.flagged();
    }

    /** The detection's findings (flagged, hence unlearned, classes) and each class's search epochs and success. */
    @Override
    public Map<String, Object> findings() {
        if (detection == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>(detection.findings());
        out.put("searchEpochs", triggers.stream().map(MaskTrigger::epochs).toList());
        out.put("reachedAttackSuccess", triggers.stream().map(MaskTrigger::succeeded).toList());
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
