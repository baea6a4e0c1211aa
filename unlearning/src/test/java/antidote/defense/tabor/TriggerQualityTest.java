package antidote.defense.tabor;

import antidote.data.Batch;
import antidote.defense.trigger.MaskTrigger;
import antidote.nn.Module;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TriggerQualityTest {

    /** A batch of {@code n} single-channel side×side images filled by {@code pixel(image, row, col)}. */
    private static Batch batch(int side, int[] labels, PixelRule pixel) {
        int n = labels.length;
        float[] v = new float[n * side * side];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    v[(i * side + y) * side + x] = (float) pixel.at(labels[i], y, x);
                }
            }
        }
        return new Batch(v, labels, new int[n], 1, side, side);
    }

    private interface PixelRule {
        double at(int label, int row, int col);
    }

    /** A trigger whose mask is 1 on the rows and columns [from, to) and whose pattern is {@code value} there. */
    private static MaskTrigger square(int target, int side, int from, int to, double value, Tensor like) {
        double[] m = new double[side * side];
        for (int y = from; y < to; y++) {
            for (int x = from; x < to; x++) {
                m[y * side + x] = 1;
            }
        }
        double[] p = new double[side * side];
        java.util.Arrays.fill(p, value);
        Tensor mask = Tensor.fromArray(m, Shape.of(1, 1, side, side), like.device()).to(like.dtype());
        Tensor pattern = Tensor.fromArray(p, Shape.of(1, 1, side, side), like.device()).to(like.dtype());
        return new MaskTrigger(target, mask, pattern, to - from, 1, true);
    }

    /** Logits [N,2]: class 0 a constant 0.5, class 1 the bottom-right pixel of a 2×2 image. */
    private static final class CornerPixel extends Module {
        @Override
        public Tensor forward(Tensor x) {
            Tensor corner = x.reshape(x.dim(0), 4).slice(1, 3, 4);
            return Tensor.concat(1, List.of(corner.mul(0).add(0.5), corner));
        }
    }

    /**
     * 2×2 images of zeros, class 0; the trigger is the corner pixel set to 1, target 1. Stamped, every image goes
     * to 1 (acc_att = 1); blanked, they stay 0 (acc_crop = 1); the target logit's gradient is the corner alone
     * (acc_exp = 1); size 1/4; TV(m ⊙ p) = 1 (vertical) + 1 (horizontal) over 4 values = 1/2; A = log(1/8).
     */
    @Test
    void cornerPixelTriggerHasItsHandComputedMetric() {
        Batch b = batch(2, new int[]{0, 0}, (label, y, x) -> 0);
        MaskTrigger corner = square(1, 2, 1, 2, 1, b.images());
        TriggerQuality.Score s = TriggerQuality.of(corner, new CornerPixel(), List.of(b));
        assertEquals(0.25, s.size(), 1e-7);
        assertEquals(0.5, s.scatter(), 1e-7);
        assertEquals(1, s.attackSuccess());
        assertEquals(1, s.cropAccuracy());
        assertEquals(1, s.explanation(), 1e-7);
        assertEquals(Math.log(0.125), s.value(), 1e-6);
    }

    /** Σ m·S / Σ S = (0.9 + 0.25) / 1.5; no saliency at all is no overlap. */
    @Test
    void explanationOverlapIsTheSaliencyShareOnTheMask() {
        double[] saliency = {0.1, 0.9, 0.5, 0.0};
        double[] mask = {0, 1, 0.5, 1};
        assertEquals(1.15 / 1.5, TriggerQuality.explanationOverlap(saliency, mask), 1e-12);
        assertEquals(0, TriggerQuality.explanationOverlap(new double[4], mask));
    }

    /** A zero ratio is floored at half its resolution: a rate of 0 over 4 images counts as 1/8. */
    @Test
    void zeroRatesAreFlooredAtHalfTheirResolution() {
        assertEquals(-Math.log(0.125), TriggerQuality.value(1, 1, 0, 1, 1, 4, 4, 4, 4), 1e-12);
        assertEquals(Math.log(0.125), TriggerQuality.value(0, 1, 1, 1, 1, 4, 4, 4, 4), 1e-12);
    }

    private static final int SIDE = 8;
    private static final double[] OBJECT = {0.1, 0.5, 0.9};

    /**
     * 8×8 images whose class is the brightness of the central 4×4 object (0.1, 0.5, 0.9 for classes 0, 1, 2), with
     * a backdoor to class 2 on the bottom-right 2×2 corner: logit_c = −20 (object − μ_c)², plus 80 × corner mean for
     * class 2.
     */
    private static final class ObjectWithBackdoor extends Module {
        @Override
        public Tensor forward(Tensor x) {
            int n = x.dim(0);
            Tensor object = x.slice(2, 2, 6).slice(3, 2, 6).mean(false, 1, 2, 3);
            Tensor corner = x.slice(2, 6, 8).slice(3, 6, 8).mean(false, 1, 2, 3);
            Tensor[] logits = new Tensor[3];
            for (int c = 0; c < 3; c++) {
                logits[c] = object.sub(OBJECT[c]).square().mul(-20).reshape(n, 1);
            }
            logits[2] = logits[2].add(corner.mul(80).reshape(n, 1));
            return Tensor.concat(1, List.of(logits));
        }
    }

    /**
     * TABOR's point: two triggers that both reach full attack success, the implanted corner patch and a large
     * central one that paints the target's object over the image's. The central one blanks the object (accuracy
     * without it: the class-0 third only) and the model's decision for the target does not rest on it (its
     * gradient is 0 on the object once the object is the target's), so it scores far worse.
     */
    @Test
    void aTriggerCoveringTheObjectScoresWorseThanTheCornerPatch() {
        Batch b = batch(SIDE, new int[]{0, 0, 1, 1, 2, 2},
                (label, y, x) -> y >= 2 && y < 6 && x >= 2 && x < 6 ? OBJECT[label] : 0);
        Module model = new ObjectWithBackdoor();
        assertEquals(List.of(0, 0, 1, 1, 2, 2), java.util.Arrays.stream(model.forward(b.images()).argMax(1))
                .boxed().toList(), "the clean images are classified by their object");
        TriggerQuality.Score corner = TriggerQuality.of(square(2, SIDE, 6, 8, 1, b.images()), model, List.of(b));
        TriggerQuality.Score object = TriggerQuality.of(square(2, SIDE, 2, 6, 0.9, b.images()), model, List.of(b));

        assertEquals(1, corner.attackSuccess());
        assertEquals(1, object.attackSuccess());
        assertEquals(1, corner.cropAccuracy());
        assertEquals(1.0 / 3, object.cropAccuracy(), 1e-12);
        assertTrue(corner.explanation() > 0.5, "corner's saliency share: " + corner.explanation());
        assertTrue(object.explanation() < 0.01, "object's saliency share: " + object.explanation());
        assertTrue(object.value() - corner.value() > 5, "metric: corner " + corner + ", object " + object);
    }
}
