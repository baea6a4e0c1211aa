package antidote.defense.deepinspect;

import antidote.check.GradCheck;
import antidote.check.ReferenceBackend;
import antidote.core.DType;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GeneratorLossTest {
    private static final int[] IMAGE = {1, 3, 4};

    /**
     * Clean logits (0, ln 3) give D(x) = 3/4; triggered logits (ln 2, 0) and (0, 0) give 1 − D = 2/3 and 1/2. The
     * loss is −ln(3/4) + (−ln(2/3) − ln(1/2)) / 2 = ln(4/3) + ln(3)/2.
     */
    @Test
    void discriminatorLossOnAHandMadeCase() {
        Tensor clean = of(new double[]{0, Math.log(3)}, 1, 2);
        Tensor triggered = of(new double[]{Math.log(2), 0, 0, 0}, 2, 2);
        assertEquals(Math.log(4.0 / 3) + Math.log(3) / 2, TriggerDiscriminator.loss(clean, triggered).item(), 1e-12);
    }

    /** Rows with L1 norms 3 and 1 under bound 2: the hinge keeps 1 of the first and nothing of the second. */
    @Test
    void magnitudeIsTheMeanHingeOnEachRowsL1Norm() {
        Tensor delta = of(new double[]{1, -1, 0.5, -0.5, 0.25, 0.25, -0.25, 0.25}, 2, 1, 2, 2);
        assertEquals(0.5, new GeneratorLoss(1, 2, 0).magnitude(delta).item(), 1e-12);
        assertEquals(2, new GeneratorLoss(1, 0, 0).magnitude(delta).item(), 1e-12);
    }

    /**
     * Without a bound and without the GAN term the loss, and its gradient, are bit for bit the loss DeepInspect
     * trained with before the discriminator: CE + γ·Σ|Δ| / rows, with no discriminator at all.
     */
    @Test
    void withoutBoundAndGanTermTheLossIsThePlainL1LossBitForBit() {
        SplittableRandom rng = new SplittableRandom(5);
        // Rows of 3x16x16, long enough that summing per row first would round differently.
        Module model = new Sequential(new Flatten(), new Linear(768, 3, true, rng));
        Tensor x = Tensor.fromArray(uniform(rng, 0.05, 0.95, 2 * 768), 2, 3, 16, 16).to(DType.FLOAT32);
        Tensor delta = Tensor.fromArray(signed(rng, 6 * 768), 6, 3, 16, 16).to(DType.FLOAT32).withGrad();
        int[] targets = {0, 0, 1, 1, 2, 2};
        Tensor now = new GeneratorLoss(0.02, 0, 0).value(model, null, x, delta, targets);
        Tensor repeated = Tensor.concat(0, List.of(x, x, x));
        Tensor before = model.forward(repeated.add(delta).clamp(0, 1)).crossEntropy(targets)
                .add(delta.abs().sum().div(6).mul(0.02));
        assertEquals(before.item(), now.item(), 0);
        assertArrayEquals(Autodiff.grad(before, List.of(delta)).get(0).toDoubleArray(),
                Autodiff.grad(now, List.of(delta)).get(0).toDoubleArray(), 0);
    }

    /** Every term's gradient with respect to the perturbations matches central differences in float64. */
    @Test
    void fullLossGradientMatchesCentralDifferences() {
        SplittableRandom rng = new SplittableRandom(11);
        Module model = new Sequential(new Flatten(), new Linear(12, 3, true, rng)).to(DType.FLOAT64)
                .to(ReferenceBackend.DEVICE);
        TriggerDiscriminator discriminator = new TriggerDiscriminator(IMAGE, 5, rng);
        discriminator.to(DType.FLOAT64).to(ReferenceBackend.DEVICE);
        // x in [0.3, 0.7] and |Δ| in [0.05, 0.2]: no clamp, no kink of |Δ| at 0; row norms 0.6 to 2.4 against
        // bounds 0.3 and 1.5 put rows on both sides of the hinge's bound, none near it at the checked step.
        Tensor x = of(uniform(rng, 0.3, 0.7, 2 * 12), 2, 1, 3, 4);
        Tensor delta = of(signed(rng, 6 * 12), 6, 1, 3, 4);
        int[] targets = {0, 0, 1, 1, 2, 2};
        for (double bound : new double[]{0, 0.3, 1.5}) {
            GeneratorLoss loss = new GeneratorLoss(0.3, bound, 0.7);
            GradCheck.checkVjp("DeepInspect generator loss, bound " + bound,
                    in -> loss.value(model, discriminator, x, in.get(0), targets), List.of(delta), rng,
                    GradCheck.Tolerance.FLOAT64);
        }
    }

    private static Tensor of(double[] v, int... shape) {
        return Tensor.fromArray(v, Shape.of(shape), ReferenceBackend.DEVICE);
    }

    private static double[] uniform(SplittableRandom rng, double lo, double hi, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return v;
    }

    /** Magnitudes in [0.05, 0.2] with random signs. */
    private static double[] signed(SplittableRandom rng, int n) {
        double[] v = uniform(rng, 0.05, 0.2, n);
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextBoolean() ? v[i] : -v[i];
        }
        return v;
    }
}
