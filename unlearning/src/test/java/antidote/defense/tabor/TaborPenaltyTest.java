package antidote.defense.tabor;

import antidote.check.GradCheck;
import antidote.check.ReferenceBackend;
import antidote.core.DType;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TaborPenaltyTest {

    private static Tensor of(double[] v, int... shape) {
        return Tensor.fromArray(v, Shape.of(shape), ReferenceBackend.DEVICE);
    }

    /**
     * m = [[0.5, 0], [1, 0.25]], p = [[1, 0.2], [0, 0.4]]: q = 255(1−m)p = [[127.5, 51], [0, 76.5]];
     * size(m) = 1.75 + 1.3125, size(q) = 255 + 24709.5, TV(m) = 0.3125 + 0.8125, TV(q) = 16906.5 + 11704.5.
     */
    @Test
    void regularisersHaveTheirHandComputedValues() {
        Tensor m = of(new double[]{0.5, 0, 1, 0.25}, 1, 1, 2, 2);
        Tensor p = of(new double[]{1, 0.2, 0, 0.4}, 1, 1, 2, 2);
        Tensor q = m.neg().add(1).mul(p).mul(255);
        assertEquals(3.0625, TaborPenalty.size(m).item(), 1e-12);
        assertEquals(24964.5, TaborPenalty.size(q).item(), 1e-9);
        assertEquals(1.125, TaborPenalty.totalVariation(m).item(), 1e-12);
        assertEquals(28611, TaborPenalty.totalVariation(q).item(), 1e-9);
        TaborPenalty.Weights w = TaborPenalty.Weights.REFERENCE;
        TaborPenalty modelFree = new TaborPenalty(new TaborPenalty.Weights(w.maskSizeWeight(), w.patternSizeWeight(),
                w.maskSmoothWeight(), w.patternSmoothWeight(), 0, 0));
        double expected = 1e-6 * 3.0625 + 1e-5 * 24964.5 + 1e-7 * 1.125 + 1e-8 * 28611;
        assertEquals(expected, modelFree.perClass(m, p, null, null, new int[]{0}, null).item(), 1e-12);
    }

    /** The mask spreads over the channels, as the reference code repeats it: size and TV of m count C times. */
    @Test
    void maskTermsCountOncePerChannel() {
        Tensor m = of(new double[]{0.5, 0, 1, 0.25}, 1, 1, 2, 2);
        Tensor p3 = of(new double[12], 1, 3, 2, 2);
        TaborPenalty onlyMask = new TaborPenalty(new TaborPenalty.Weights(1, 0, 1, 0, 0, 0));
        assertEquals(3 * (3.0625 + 1.125), onlyMask.perClass(m, p3, null, null, new int[]{0}, null).item(), 1e-12);
    }

    /** Every term's gradient with respect to masks and patterns matches central differences in float64. */
    @Test
    void gradientsMatchCentralDifferences() {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor masks = uniform(rng, 2, 1, 3, 4);
        Tensor patterns = uniform(rng, 2, 3, 3, 4);
        Tensor images = uniform(rng, 5, 3, 3, 4);
        Module model = new Sequential(new Flatten(), new Linear(36, 4, true, rng)).to(DType.FLOAT64)
                .to(ReferenceBackend.DEVICE);
        model.eval();
        TaborPenalty all = new TaborPenalty(new TaborPenalty.Weights(0.3, 1e-4, 0.2, 1e-5, 0.7, 0.5));
        int[] labels = {0, 1, 2, 3, 1};
        int[] targets = {2, 0};
        GradCheck.checkVjp("TABOR penalty", in -> all.perClass(in.get(0), in.get(1), images, labels, targets, model),
                List.of(masks, patterns), rng, GradCheck.Tolerance.FLOAT64);
    }

    /** Values in [0.05, 0.95], away from the kinks of |x| at 0. */
    private static Tensor uniform(SplittableRandom rng, int... shape) {
        double[] v = new double[Shape.of(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.05 + 0.9 * rng.nextDouble();
        }
        return of(v, shape);
    }
}
