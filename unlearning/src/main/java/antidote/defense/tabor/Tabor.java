package antidote.defense.tabor;

import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.defense.Setting;
import antidote.defense.nc.NeuralCleanse;
import antidote.defense.trigger.Detection;
import antidote.defense.trigger.MaskSearch;
import antidote.defense.trigger.MaskTrigger;
import antidote.defense.trigger.MaskTriggerDefense;
import antidote.defense.trigger.TriggerUnlearning;
import antidote.nn.Module;
import antidote.poison.TrainingMemory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TABOR (Guo et al., 2019): Neural Cleanse's per-class mask search with TABOR's regularisers added to its loss
 * ({@link TaborPenalty}: trigger size, smoothness, blocking and overlay terms), then TABOR's quality metric of each
 * recovered trigger ({@link TriggerQuality}: size, scatter, attack success, accuracy with the trigger's area
 * blanked, and how much of the saliency explanation lies on the trigger), and the MAD test (index above the
 * threshold, below the median) on that metric instead of on the mask norm. A small trigger that covers the object,
 * or that the model's decision does not rest on, scores badly and is not flagged: this is how TABOR prunes false
 * alarms. The flagged triggers are unlearned.
 */
public final class Tabor extends MaskTriggerDefense {

    /**
     * @param search        the trigger search (Neural Cleanse's)
     * @param weights       TABOR's regulariser weights
     * @param threshold     the anomaly index above which a class is flagged (2)
     * @param qualityImages clean images the quality metric is measured on (320, one epoch of the fast search; the
     *                      paper gives no number)
     * @param unlearning    the fine-tune that unlearns the flagged triggers
     * @param seed          seed of the starting masks and the batch order
     */
    public record Settings(MaskSearch.Settings search,
                           TaborPenalty.Weights weights,
                           @Setting("anomaly index above which a class is flagged") double threshold,
                           @Setting("clean images TABOR's trigger quality metric is measured on "
                                   + "(rounded up to whole search batches)") int qualityImages,
                           TriggerUnlearning.Settings unlearning,
                           @Setting("seed of the starting masks and of the batch order") long seed) {
        public static final Settings DEFAULT = new Settings(NeuralCleanse.Settings.FAST_SEARCH,
                TaborPenalty.Weights.REFERENCE, 2, NeuralCleanse.Settings.FAST_SEARCH.samplesPerEpoch(),
                TriggerUnlearning.Settings.DEFAULT, 0);

        public Settings {
            if (!(threshold > 0)) {
                throw new IllegalArgumentException("the anomaly threshold must be positive, got " + threshold);
            }
            if (qualityImages < 1) {
                throw new IllegalArgumentException("TABOR's quality metric needs at least 1 image, got "
                        + qualityImages + "; pass --tabor-quality-images with a positive count");
            }
        }
    }

    private final Settings settings;
    private List<TriggerQuality.Score> quality = List.of();

    public Tabor(Settings settings) {
        super("tabor", settings.search(), new TaborPenalty(settings.weights()), settings.threshold(),
                settings.unlearning(), settings.seed());
        this.settings = settings;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    /** The MAD test on each class's quality metric, measured on the first clean batches in the seeded order. */
    @Override
    protected Detection detect(List<MaskTrigger> triggers, Module model, Dataset cleanSet, double threshold) {
        List<Batch> batches = TrainingMemory.resident(qualityBatches(cleanSet));
        quality = triggers.stream().map(t -> TriggerQuality.of(t, model, batches)).toList();
        return Detection.of(TriggerQuality.STATISTIC,
                quality.stream().mapToDouble(TriggerQuality.Score::value).toArray(), threshold);
    }

    /** Each class's quality terms, by class; empty before {@link #purify}. */
    public List<TriggerQuality.Score> quality() {
        return quality;
    }

    /** The shared findings (whose per-class values are the metric) and each class's quality terms. */
    @Override
    public Map<String, Object> findings() {
        Map<String, Object> out = new LinkedHashMap<>(super.findings());
        if (!quality.isEmpty()) {
            Map<String, Object> terms = new LinkedHashMap<>();
            for (int c = 0; c < quality.size(); c++) {
                terms.put(Integer.toString(c), quality.get(c).findings());
            }
            out.put("quality", terms);
        }
        return out;
    }

    private List<Batch> qualityBatches(Dataset cleanSet) {
        int batchSize = Math.min(settings.search().searchBatchSize(), settings.qualityImages());
        Loader loader = Loader.over(cleanSet).batchSize(batchSize).seed(settings.seed()).prefetch(false).build();
        List<Batch> out = new ArrayList<>();
        int images = 0;
        try (Epoch epoch = loader.epoch(0)) {
            for (Batch b : epoch) {
                if (images >= settings.qualityImages()) {
                    break;
                }
                out.add(b);
                images += b.size();
            }
        }
        return out;
    }
}
