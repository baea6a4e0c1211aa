package antidote.defense.tabor;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.defense.trigger.MaskTrigger;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TABOR's quality measure of a recovered trigger (Guo et al., 2019, arXiv 1908.01763, the detection step): the
 * lower, the more the trigger looks like an implanted one, so TABOR's outlier test runs on it instead of on the
 * mask's L1 norm. For a trigger (m, p) of class t on an H×W image with C channels,
 * <pre>
 *   A = log(‖m‖₁ / HW) + log(TV(m ⊙ p) / CHW) − log(acc_att) − log(acc_crop) − log(acc_exp)
 * </pre>
 * <ul>
 *   <li>‖m‖₁ / HW: the trigger's size as a share of the image (overly large triggers);</li>
 *   <li>TV(m ⊙ p) / CHW: its total variation per value, TABOR's R2 measure (scattered triggers);</li>
 *   <li>acc_att: share of the clean images of other classes that the stamped trigger sends to t;</li>
 *   <li>acc_crop: accuracy on the clean images with the trigger's area blanked, (1 − m) ⊙ x: a trigger that covers
 *       the object destroys it (blocking triggers);</li>
 *   <li>acc_exp: how much of the model's explanation of its decision for t lies on the trigger: per stamped image
 *       of another class, the saliency S = |∂ logit_t / ∂x| summed over channels, and its share on the trigger,
 *       Σ m·S / Σ S; averaged over the images.</li>
 * </ul>
 * The paper's text was not at hand when this was written; the form above is a reading of it (five log terms,
 * equal weights, the saliency share on the trigger as the explanation term), and the explanation is the plain
 * input gradient (Simonyan et al., 2014). A ratio of 0 would make its log infinite, so each is floored at half its
 * resolution: half an image for the rates and the explanation share, half a pixel or value for size and scatter.
 */
public final class TriggerQuality {
    /** The statistic's name in the findings. */
    public static final String STATISTIC = "TABOR quality metric";

    /**
     * One trigger's terms and the metric.
     *
     * @param size          ‖m‖₁ / HW
     * @param scatter       TV(m ⊙ p) / CHW
     * @param attackSuccess acc_att
     * @param cropAccuracy  acc_crop
     * @param explanation   acc_exp
     * @param value         A, from the floored terms
     */
    public record Score(double size, double scatter, double attackSuccess, double cropAccuracy, double explanation,
                        double value) {
        /** The terms by name, for a report. */
        public Map<String, Object> findings() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("metric", value);
            out.put("size", size);
            out.put("scatter", scatter);
            out.put("attackSuccess", attackSuccess);
            out.put("cropAccuracy", cropAccuracy);
            out.put("explanationOverlap", explanation);
            return out;
        }
    }

    private TriggerQuality() {
    }

    /**
     * The metric of {@code trigger} on the clean {@code batches} (already on the model's device, e.g. through
     * {@code TrainingMemory.resident}), with the frozen model in evaluation mode.
     */
    public static Score of(MaskTrigger trigger, Module model, List<Batch> batches) {
        Tensor mask = trigger.mask();
        int[] s = trigger.pattern().shape().dims();
        int channels = s[1];
        int pixels = s[2] * s[3];
        double[] maskValues = mask.toDoubleArray();
        double maskMass = Arrays.stream(maskValues).sum();
        // Each batch in a memory step (its results are host numbers), so device memory does not grow with batches.
        StepMemory memory = new StepMemory(List::of);
        double scatter = memory.call(() -> {
            try (var off = GradMode.disabled()) {
                return TaborPenalty.totalVariation(mask.mul(trigger.pattern())).item() / (channels * pixels);
            }
        });
        int images = 0;
        int others = 0;
        int hits = 0;
        int kept = 0;
        double overlap = 0;
        for (Batch batch : batches) {
            Tally b = memory.call(() -> tally(trigger, model, batch, maskValues));
            images += b.images();
            others += b.others();
            hits += b.hits();
            kept += b.kept();
            overlap += b.overlap();
        }
        if (images == 0) {
            throw new IllegalArgumentException("TABOR's quality metric needs clean images; got an empty set");
        }
        // With every image of the target class, the rates fall back to all images so that they stay defined.
        int rated = others == 0 ? images : others;
        double attack = (double) hits / rated;
        double explanation = overlap / rated;
        double crop = (double) kept / images;
        double size = maskMass / pixels;
        return new Score(size, scatter, attack, crop, explanation,
                value(size, scatter, attack, crop, explanation, pixels, channels * pixels, rated, images));
    }

    /** One batch's counts: images, those of other classes, of them sent to t, images kept, summed overlap. */
    private record Tally(int images, int others, int hits, int kept, double overlap) {
    }

    private static Tally tally(MaskTrigger trigger, Module model, Batch batch, double[] maskValues) {
        int t = trigger.target();
        int pixels = maskValues.length;
        Tensor x = batch.images();
        int[] labels = batch.labels();
        Tensor stamped = trigger.stamp(x).detach().withGrad();
        Tensor logits = model.forward(stamped);
        Tensor saliency = Autodiff.grad(logits.slice(1, t, t + 1).sum(), List.of(stamped)).get(0);
        int[] predicted;
        int[] cropped;
        double[] heat;
        try (var off = GradMode.disabled()) {
            predicted = logits.argMax(1);
            cropped = model.forward(x.mul(trigger.mask().neg().add(1))).argMax(1);
            heat = saliency.abs().sum(false, 1).toDoubleArray();
        }
        int others = 0;
        int hits = 0;
        int kept = 0;
        double overlap = 0;
        for (int i = 0; i < labels.length; i++) {
            kept += cropped[i] == labels[i] ? 1 : 0;
            if (labels[i] != t) {
                others++;
                hits += predicted[i] == t ? 1 : 0;
                overlap += explanationOverlap(Arrays.copyOfRange(heat, i * pixels, (i + 1) * pixels), maskValues);
            }
        }
        return new Tally(labels.length, others, hits, kept, overlap);
    }

    /**
     * A from the five terms, each floored at half its resolution: {@code pixels} for the size, {@code values} for
     * the scatter, {@code rated} images for the attack success and explanation, {@code images} for the crop.
     */
    static double value(double size, double scatter, double attack, double crop, double explanation, int pixels,
                        int values, int rated, int images) {
        return floorLog(size, pixels) + floorLog(scatter, values)
                - floorLog(attack, rated) - floorLog(crop, images) - floorLog(explanation, rated);
    }

    private static double floorLog(double ratio, int resolution) {
        return Math.log(Math.max(ratio, 0.5 / resolution));
    }

    /**
     * The share of one image's saliency that lies on the trigger, Σ m·S / Σ S: 1 when the explanation lies wholly on
     * a binary trigger, 0 when it misses it (or when the saliency is 0 everywhere).
     */
    static double explanationOverlap(double[] saliency, double[] mask) {
        double on = 0;
        double total = 0;
        for (int i = 0; i < saliency.length; i++) {
            on += mask[i] * saliency[i];
            total += saliency[i];
        }
        return total > 0 ? on / total : 0;
    }
}
