package antidote.defense.tabor;

import antidote.defense.Setting;
import antidote.defense.nc.NeuralCleanse;
import antidote.defense.trigger.MaskTriggerDefense;
import antidote.defense.trigger.MaskSearch;
import antidote.defense.trigger.TriggerUnlearning;

/**
 * TABOR (Guo et al., 2019): Neural Cleanse's per-class mask search with TABOR's regularisers added to its loss
 * ({@link TaborPenalty}: trigger size, smoothness, blocking and overlay terms), then the same MAD test (index > 2
 * below the median) on the recovered masks' L1 norms, with false alarms pruned: a flagged class whose trigger
 * never reached the attack success rate is not a backdoor. The remaining flagged triggers are unlearned.
 * TABOR's paper scores triggers with a metric that also uses saliency explanations; that part is not
 * reproduced here (see the report's note).
 */
public final class Tabor extends MaskTriggerDefense {

    /**
     * @param search     the trigger search (Neural Cleanse's)
     * @param weights    TABOR's regulariser weights
     * @param threshold  the anomaly index above which a class is flagged (2)
     * @param unlearning the fine-tune that unlearns the flagged triggers
     * @param seed       seed of the starting masks and the batch order
     */
    public record Settings(MaskSearch.Settings search,
                           TaborPenalty.Weights weights,
                           @Setting("anomaly index above which a class is flagged") double threshold,
                           TriggerUnlearning.Settings unlearning,
                           @Setting("seed of the starting masks and of the batch order") long seed) {
        public static final Settings DEFAULT = new Settings(NeuralCleanse.Settings.FAST_SEARCH,
                TaborPenalty.Weights.REFERENCE, 2, TriggerUnlearning.Settings.DEFAULT, 0);

        public Settings {
            if (!(threshold > 0)) {
                throw new IllegalArgumentException("the anomaly threshold must be positive, got " + threshold);
            }
        }
    }

    private final Settings settings;

    public Tabor(Settings settings) {
        super("tabor", settings.search(), new TaborPenalty(settings.weights()),
                settings.threshold(), true, settings.unlearning(), settings.seed());
        this.settings = settings;
    }

    @Override
    public Settings settings() {
        return settings;
    }
}
