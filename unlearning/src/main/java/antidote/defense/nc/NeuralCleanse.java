package antidote.defense.nc;

import antidote.data.Dataset;
import antidote.defense.Defense;
import antidote.defense.RoundObserver;
import antidote.defense.Setting;
import antidote.defense.trigger.Detection;
import antidote.defense.trigger.MaskSearch;
import antidote.defense.trigger.MaskTrigger;
import antidote.defense.trigger.SearchPenalty;
import antidote.defense.trigger.TriggerImages;
import antidote.defense.trigger.TriggerUnlearning;
import antidote.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Neural Cleanse (Wang et al., S&P 2019): for every class, the smallest mask-and-pattern trigger that sends the
 * clean set to it ({@link MaskSearch}); a class whose mask is abnormally small (anomaly index of its L1 norm
 * above 2, below the median) is flagged, and every flagged trigger is unlearned ({@link TriggerUnlearning}).
 */
public final class NeuralCleanse implements Defense {

    /**
     * @param search     the trigger search
     * @param threshold  the anomaly index above which a class is flagged (2, the paper's)
     * @param unlearning the fine-tune that unlearns the flagged triggers
     * @param seed       seed of the starting masks and the batch order
     */
    public record Settings(MaskSearch.Settings search,
                           @Setting("anomaly index above which a class is flagged") double threshold,
                           TriggerUnlearning.Settings unlearning,
                           @Setting("seed of the starting masks and of the batch order") long seed) {
        /**
         * The reference code's search: λ from 1e-3, ×2 up and ÷2^1.5 down after 5 epochs at or below 99% attack
         * success, Adam 0.1 (β 0.5, 0.9), batches of 32, 1000 images per epoch, up to 1000 epochs, a class
         * stopping after 25 epochs without a 1% smaller mask once λ has moved both ways.
         */
        public static final MaskSearch.Settings REFERENCE_SEARCH = new MaskSearch.Settings(1000, 1000, 32, 0.1, 1e-3,
                0.99, 5, 2, 25, 0.99);
        /**
         * The same schedule on a CPU budget: 320 images per epoch and at most 60 epochs, which is enough to
         * recover a BadNets patch on Fashion-MNIST (measured: target flagged, ASR 2%).
         */
        public static final MaskSearch.Settings FAST_SEARCH = new MaskSearch.Settings(60, 320, 32, 0.1, 1e-3,
                0.99, 5, 2, 25, 0.99);
        public static final Settings DEFAULT = new Settings(FAST_SEARCH, 2, TriggerUnlearning.Settings.DEFAULT, 0);
        public static final Settings REFERENCE = new Settings(REFERENCE_SEARCH, 2, TriggerUnlearning.Settings.DEFAULT,
                0);

        public Settings {
            if (!(threshold > 0)) {
                throw new IllegalArgumentException("the anomaly threshold must be positive, got " + threshold);
            }
        }
    }

    private final Settings settings;
    private List<MaskTrigger> triggers = List.of();
    private Detection detection;

    public NeuralCleanse(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "nc";
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public void purify(Module model, Dataset cleanSet, RoundObserver observer) {
        int searchEpochs = settings.search().maxEpochs();
        int steps = searchEpochs + TriggerUnlearning.batchesPerEpoch(cleanSet, settings.unlearning());
        triggers = MaskSearch.run(name(), model, cleanSet, cleanSet.numClasses(), settings.search(),
                SearchPenalty.NONE, settings.seed(), epoch -> observer.afterStep(1, epoch, steps));
        double[] norms = triggers.stream().mapToDouble(MaskTrigger::norm).toArray();
        detection = Detection.of("mask L1 norm", norms, settings.threshold());
        List<MaskTrigger> flagged = detection.flagged().stream().map(triggers::get).toList();
        TriggerUnlearning.run(name(), model, cleanSet, flagged, settings.unlearning(), settings.seed(), observer,
                searchEpochs, steps);
    }

    /** The recovered trigger of every class, by class; empty before {@link #purify}. */
    public List<MaskTrigger> triggers() {
        return triggers;
    }

    /** The outlier test on the mask norms; null before {@link #purify}. */
    public Detection detection() {
        return detection;
    }

    @Override
    public Map<String, Object> findings() {
        if (detection == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>(detection.findings());
        out.put("searchEpochs", triggers.stream().map(MaskTrigger::epochs).toList());
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
