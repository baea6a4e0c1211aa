package antidote.defense.fp;

import antidote.data.Dataset;
import antidote.data.Loader;
import antidote.data.Seeds;
import antidote.defense.Defense;
import antidote.defense.DefenseLoop;
import antidote.defense.RoundObserver;
import antidote.defense.Setting;
import antidote.defense.SettingsRecord;
import antidote.defense.ft.FineTuning;
import antidote.grad.Autodiff;
import antidote.metric.Scores;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.poison.Evaluation;
import antidote.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Fine-Pruning (Liu et al., RAID 2018), as the I-BAU paper ran it (appendix A.4.2): hold out some of the clean
 * images (1,000 of 5,000), rank the output channels of the last convolution by their mean activation on the other
 * clean images, prune them one at a time from the least active until the accuracy on the held-out images falls
 * as the stop rule says ({@link PruningSearch}), then fine-tune on the other images with the pruned channels held
 * at zero. Which images are held out is drawn with the fine-tuning seed. See {@link LastConvolution} for what
 * pruning zeroes in each architecture.
 */
public final class FinePruning implements Defense {
    private static final int BATCH = 256;
    private static final long SPLIT_STREAM = 0x46505350L;

    /**
     * @param stopRule     when pruning stops (the I-BAU paper: drop to 20%; Liu et al.: a drop of 4 points)
     * @param stopAccuracy the accuracy ({@link StopRule#DROP_TO}) or the drop ({@link StopRule#DROP_BY}), 0 to 1
     * @param heldOut      clean images held out to measure the accuracy while pruning (1,000)
     * @param fineTune     the fine-tuning after pruning, on the other clean images
     */
    public record Settings(@Setting("when pruning stops: drop-to (held-out ACC falls to --fp-stop-accuracy, the I-BAU "
                                   + "paper) or drop-by (falls by that much, Liu et al.)") StopRule stopRule,
                           @Setting("the held-out accuracy (drop-to) or accuracy drop (drop-by) that stops pruning, "
                                   + "0 to 1") double stopAccuracy,
                           @Setting("clean images held out to measure ACC while pruning; the others rank the "
                                   + "channels and fine-tune") int heldOut,
                           FineTuning.Settings fineTune) {
        /** The I-BAU paper's setting: prune until the accuracy on 1,000 held-out images falls to 20%. */
        public static final Settings PAPER = new Settings(StopRule.DROP_TO, 0.20, 1000, FineTuning.Settings.DEFAULT);
        /** Liu et al.'s rule: prune until the held-out accuracy has fallen by 4 points. */
        public static final Settings ORIGINAL = new Settings(StopRule.DROP_BY, 0.04, 1000, FineTuning.Settings.DEFAULT);

        public Settings {
            if (stopRule == null || !(stopAccuracy >= 0 && stopAccuracy <= 1) || heldOut < 1 || fineTune == null) {
                throw new IllegalArgumentException("Fine-Pruning needs a stop rule, a stop accuracy in [0, 1] and at "
                        + "least 1 held-out image; got " + stopRule + ", " + stopAccuracy + ", " + heldOut);
            }
        }
    }

    private final Settings settings;
    private final Map<String, Object> findings = new LinkedHashMap<>();
    private PruningSearch.Result result;
    private double threshold;
    private int channels;

    public FinePruning(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "fp";
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public void purify(Module model, Dataset cleanSet, RoundObserver observer) {
        LastConvolution layer = LastConvolution.of(model);
        if (cleanSet.size() <= settings.heldOut()) {
            throw new IllegalArgumentException("Fine-Pruning holds out " + settings.heldOut() + " clean images to "
                    + "measure accuracy and fine-tunes on the rest, but the clean set has " + cleanSet.size()
                    + "; give more clean images or a smaller --fp-held-out");
        }
        // A stream of its own, so the split does not share draws with the batch order of the same seed.
        int[] order = Seeds.permutation(cleanSet.size(), Seeds.derive(settings.fineTune().seed(), SPLIT_STREAM));
        Dataset heldOut = cleanSet.subset(Arrays.copyOfRange(order, 0, settings.heldOut()));
        Dataset rest = cleanSet.subset(Arrays.copyOfRange(order, settings.heldOut(), order.length));

        int[] ranked = ascending(layer.meanActivations(rest, BATCH));
        double before = accuracy(model, heldOut);
        channels = layer.channels();
        threshold = settings.stopRule().threshold(before, settings.stopAccuracy());
        result = PruningSearch.search(channels, before, threshold, k -> {
            layer.prune(Arrays.copyOf(ranked, k));
            return accuracy(model, heldOut);
        });
        int[] pruned = Arrays.copyOf(ranked, result.pruned());
        layer.prune(pruned);
        recordFindings(layer, pruned);
        fineTune(model, rest, layer, observer);
    }

    /** Fine-tuning as {@link FineTuning} does it, with the pruned channels zeroed again after every step. */
    private void fineTune(Module model, Dataset images, LastConvolution layer, RoundObserver observer) {
        FineTuning.Settings ft = settings.fineTune();
        Optimizer optimizer = new Adam(model.parameters(), ft.lr());
        Loader loader = Loader.over(images).batchSize(ft.batchSize()).seed(ft.seed()).build();
        DefenseLoop.epochs(name(), model, optimizer, ft.epochs(), loader, (batch, epoch, index) -> {
            model.train();
            Tensor loss = model.forward(batch.images()).crossEntropy(batch.labels());
            double value = loss.item();
            if (Double.isFinite(value)) {
                optimizer.step(Autodiff.grad(loss, model.parameterValues()));
                layer.keepPruned();
            }
            return value;
        }, observer);
    }

    private void recordFindings(LastConvolution layer, int[] pruned) {
        findings.put("channels", channels);
        findings.put("pruned", pruned.length);
        findings.put("pruned_share", (double) pruned.length / channels);
        findings.put("pruned_channels", Arrays.stream(pruned).boxed().toList());
        findings.put("zeroed_weights", layer.keys());
        findings.put("stop_rule", SettingsRecord.spell(settings.stopRule()));
        findings.put("stop_threshold", threshold);
        findings.put("held_out_images", settings.heldOut());
        findings.put("held_out_acc_curve", result.accuracyCurve());
    }

    @Override
    public Map<String, Object> findings() {
        return findings;
    }

    @Override
    public void writeArtifacts(Path outDir) throws IOException {
        if (result != null) {
            PruningPlot.write(outDir.resolve("fp_pruning.png"), channels, result.accuracyCurve(), result.pruned(),
                    threshold, settings.heldOut());
        }
    }

    /** Channel indices from the lowest mean activation to the highest; ties keep the lower index first. */
    static int[] ascending(double[] means) {
        return IntStream.range(0, means.length).boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> means[c]).thenComparingInt(c -> c))
                .mapToInt(Integer::intValue).toArray();
    }

    private static double accuracy(Module model, Dataset images) {
        return Scores.accuracy(Evaluation.predict(model, images), images.labels());
    }
}
