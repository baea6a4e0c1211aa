package antidote.defense.nc;

import antidote.defense.Setting;
import antidote.defense.trigger.MaskTriggerDefense;
import antidote.defense.trigger.MaskSearch;
import antidote.defense.trigger.SearchPenalty;
import antidote.defense.trigger.TriggerUnlearning;

/**
 * Neural Cleanse (Wang et al., S&P 2019): for every class, the smallest mask-and-pattern trigger that sends the
 * clean set to it ({@link MaskSearch}); a class whose mask is abnormally small (anomaly index of its L1 norm
 * above 2, below the median) is flagged, and every flagged trigger is unlearned ({@link TriggerUnlearning}).
 */
public final class NeuralCleanse extends MaskTriggerDefense {

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
         * The reference code's search: λ ×2 up and ÷2^1.5 down after 5 epochs at or below 99% attack success,
         * Adam 0.1 (β 0.5, 0.9), batches of 32, 1000 images per epoch, up to 1000 epochs, a class stopping after
         * 25 epochs without a 1% smaller mask once λ has moved both ways. λ starts at 1e-3 as in BackdoorBench
         * (the original starts at 0 and sets 1e-3 after 5 successful epochs).
         */
        public static final MaskSearch.Settings REFERENCE_SEARCH = new MaskSearch.Settings(1000, 1000, 32, 0.1, 1e-3,
                0.99, 5, 2, 25, 0.99);
        /**
         * The same schedule on a CPU budget: 320 images per epoch and at most 60 epochs, which is enough to
         * recover a BadNets patch on Fashion-MNIST (measured with 40 epochs: target flagged, ASR 2%).
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

    public NeuralCleanse(Settings settings) {
        super("nc", settings.search(), SearchPenalty.NONE, settings.threshold(), settings.unlearning(),
                settings.seed());
        this.settings = settings;
    }

    @Override
    public Settings settings() {
        return settings;
    }
}
