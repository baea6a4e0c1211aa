package antidote.defense.sau;

import antidote.check.ReferenceBackend;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SAU's masks and losses on hand-made logits, and the L∞ bound of the shared PGD. */
class SauLossesTest {

    private static Tensor t(double[] v, int... shape) {
        return Tensor.fromArray(v, Shape.of(shape), ReferenceBackend.DEVICE);
    }

    @Test
    void aModelIsFooledWhenThePerturbationChangesItsOwnAnswerAndSharedWhenBothAgree() {
        int[] clean = {0, 1, 2, 0};
        int[] refClean = {0, 1, 0, 0};
        int[] preds = {0, 2, 1, 1};
        int[] refPreds = {0, 2, 0, 1};
        SauLosses.Masks m = SauLosses.Masks.of(preds, refPreds, clean, refClean);
        assertArrayEquals(new boolean[]{true, false, false, false}, m.notFooled());
        // Sample 2: the reference answers 0 on both images, so it is not fooled even though 0 is wrong.
        assertArrayEquals(new boolean[]{true, false, true, false}, m.refNotFooled());
        // Shared: both fooled into the same class (samples 1 and 3).
        assertArrayEquals(new boolean[]{true, false, true, false}, m.notShared());
        assertFalse(m.allShared());
        assertTrue(SauLosses.Masks.of(new int[]{1}, new int[]{1}, new int[]{0}, new int[]{2}).allShared());
        assertFalse(SauLosses.Masks.of(new int[]{1}, new int[]{2}, new int[]{0}, new int[]{0}).allShared(),
                "fooled into different classes is not shared");
    }

    @Test
    void jsDivergenceMatchesAHandComputation() {
        Tensor a = t(new double[]{Math.log(0.5), Math.log(0.5), 0, 0}, 2, 2);
        Tensor b = t(new double[]{Math.log(0.9), Math.log(0.1), 0, 0}, 2, 2);
        double[] js = SauLosses.jsDivergence(a, b).toDoubleArray();
        double m0 = 0.7;
        double m1 = 0.3;
        double expected = 0.5 * (0.5 * Math.log(0.5 / m0) + 0.5 * Math.log(0.5 / m1))
                + 0.5 * (0.9 * Math.log(0.9 / m0) + 0.1 * Math.log(0.1 / m1));
        assertEquals(expected, js[0], 1e-12);
        assertEquals(0.0, js[1], 1e-12, "identical distributions have zero divergence");
    }

    @Test
    void sharedPgdObjectiveCountsOnlyUnfooledAndUnsharedSamples() {
        Tensor logits = t(new double[]{2, 0, 0, 3}, 2, 2);
        Tensor ref = t(new double[]{1, 0, 0, 1}, 2, 2);
        int[] labels = {0, 0};
        SauLosses.Masks m = SauLosses.Masks.of(new int[]{0, 1}, new int[]{0, 1}, new int[]{0, 0}, new int[]{0, 0});
        double ce0 = Math.log(1 + Math.exp(-2));
        double ceRef0 = Math.log(1 + Math.exp(-1));
        double js0 = SauLosses.jsDivergence(logits.slice(0, 0, 1), ref.slice(0, 0, 1)).item();
        double expected = 0.01 * (-(ce0 + ceRef0) / 4) + 1.0 * (js0 / 2);
        assertEquals(expected, SauLosses.sharedPgdObjective(logits, ref, labels, m, 0.01, 1.0).item(), 1e-12);
    }

    @Test
    void sharedAdversarialRiskPenalisesAgreeingWithTheReferencesWrongAnswerOverTheWholeBatch() {
        Tensor adversarialLogits = t(new double[]{0, Math.log(3), 0, 0, 5, 0}, 3, 2);
        int[] labels = {0, 0, 1};
        int[] refAdversarial = {1, 0, 0};
        int[] refClean = {0, 0, 0};
        // Only sample 0 qualifies: the reference is fooled (1 != 0) and changed its answer; sample 2 is fooled but
        // answered 0 on the clean image too. BackdoorBench divides by the batch size (3), not by the count (1).
        double p = 3.0 / 4.0;
        double expected = (-Math.log(1e-6 + (1 - p)) - Math.log(1 + 1e-6 - p)) / 2 / 3;
        assertEquals(expected, SauLosses.sharedAdversarialRisk(adversarialLogits, refAdversarial, refClean,
                labels).item(), 1e-12);
        assertEquals(0.0, SauLosses.sharedAdversarialRisk(adversarialLogits, new int[]{0, 0, 1}, refClean, labels)
                .item(), 0.0);
    }

    @Test
    void sharedAdversarialRiskStopsPushingOnceTheProbabilityIsTiny() {
        Tensor leaf = t(new double[]{0, -20}, 1, 2).withGrad();
        Tensor risk = SauLosses.sharedAdversarialRisk(leaf, new int[]{1}, new int[]{0}, new int[]{0});
        double[] g = antidote.grad.Autodiff.grad(risk, java.util.List.of(leaf)).get(0).toDoubleArray();
        assertEquals(0.0, g[0], 0.0, "p < 0.001 is clamped: no gradient");
        assertEquals(0.0, g[1], 0.0);
    }

    @Test
    void sharedPgdStaysInsideTheLinfBall() {
        SplittableRandom r = new SplittableRandom(5);
        double[] w = new double[3 * 8];
        double[] w2 = new double[3 * 8];
        double[] x = new double[4 * 8];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble(-3, 3);
            w2[i] = w[i] + r.nextDouble(-0.5, 0.5);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble();
        }
        Tensor weight = t(w, 3, 8);
        Tensor weight2 = t(w2, 3, 8);
        UnaryOperator<Tensor> model = in -> in.reshape(in.dim(0), -1).matmul(weight.transpose(0, 1));
        UnaryOperator<Tensor> reference = in -> in.reshape(in.dim(0), -1).matmul(weight2.transpose(0, 1));
        Tensor images = t(x, 4, 2, 2, 2);
        Tensor adv = SharedPgd.attack(model, reference, images, new int[]{0, 1, 2, 0},
                new SharedPgd.Settings(0.1, 0.07, 5, SharedPgd.Init.RANDOM, 0.01, 1.0), new SplittableRandom(1));
        double[] a = adv.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - x[i]) <= 0.1 + 1e-12, "outside the ball at " + i);
        }
        assertFalse(adv.requiresGrad());
    }
}
