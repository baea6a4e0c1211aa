package antidote.defense.ibau;

import antidote.check.GradCheck;
import antidote.check.ReferenceBackend;
import antidote.data.Batch;
import antidote.data.Dataset;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mask-pattern family: its hypergradient against the implicit-function-theorem gradient with dense matrices
 * on a linear softmax model over 2×1×2 images (free variables: 2 mask and 4 pattern values), its ascent keeping
 * m and p in [0,1] under the mean(m) cap, and the stamp it makes.
 */
class MaskPatternTest {
    private static final int CHANNELS = 2;
    private static final int PIXELS = 2;
    private static final int D = CHANNELS * PIXELS;
    private static final int FREE = PIXELS + D;
    private static final double ETA = 0.1;

    private final SplittableRandom rng = new SplittableRandom(5);
    private final Tensor innerImages = random(0, 1, 6, CHANNELS, 1, PIXELS);
    private final int[] innerLabels = {0, 1, 2, 0, 1, 2};
    private final Tensor outerImages = random(0, 1, 5, CHANNELS, 1, PIXELS);
    private final int[] outerLabels = {2, 2, 1, 0, 1};
    private final Tensor outerRows = Tensor.fromArray(new double[] {1, 0, 1, 1, 0}, Shape.of(5, 1, 1, 1),
            ReferenceBackend.DEVICE);
    private final Tensor weight = random(-2, 2, 3, D);
    // A strong ‖z‖² weight and a mask term make the inner minimisation strictly convex at its fixed point.
    private final TriggerFamily family = TriggerFamily.of(maskPattern(0.5, 0.1, 1, 0.3));

    private static IbauSettings maskPattern(double penalty, double lr, double cap, double maskPenalty) {
        IbauSettings s = IbauSettings.referenceCode();
        return new IbauSettings(s.rounds(), 10, s.batchOrder(), s.radius(), s.projection(), s.innerPasses(),
                s.innerLr(), s.innerOptimizer(), s.clamp(), penalty, s.ascentLabels(), s.perturbedShare(),
                s.fixedPointBatch(), s.hypergradient(), s.outerLr(), s.seed(),
                new PerturbationSettings(PerturbationSettings.Perturbation.MASK_PATTERN, lr, cap, maskPenalty));
    }

    private Tensor random(double lo, double hi, int... shape) {
        double[] v = new double[Shape.of(shape).size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = rng.nextDouble(lo, hi);
        }
        return Tensor.fromArray(v, Shape.of(shape), ReferenceBackend.DEVICE);
    }

    private static Tensor logits(Tensor images, Tensor w) {
        return images.reshape(images.dim(0), D).matmul(w.transpose(0, 1));
    }

    private Tensor innerLoss(Tensor z, Tensor w) {
        return logits(family.apply(innerImages, z), w).crossEntropy(innerLabels).add(family.penalty(z, innerImages));
    }

    private Tensor outerLoss(Tensor z, Tensor w) {
        return logits(family.applyTo(outerImages, z, outerRows), w).tanh().crossEntropy(outerLabels);
    }

    /** z*(w) by running the fixed-point map Φ to convergence. */
    private Tensor solveInner(Tensor w) {
        Tensor z = Tensor.full(Shape.of(1, FREE), 0.2, weight.dtype(), weight.device());
        for (int k = 0; k < 5000; k++) {
            Tensor leaf = z.withGrad();
            Tensor g = Autodiff.grad(innerLoss(leaf, w), List.of(leaf)).get(0);
            z = z.sub(g.mul(ETA));
            if (g.square().sum().item() < 1e-26) {
                break;
            }
        }
        return z;
    }

    /** ∇_θL_out − H_θz·H_zz⁻¹·∇_zL_out with the Hessian blocks built column by column and a dense solve. */
    private double[] exactByDenseSolve() {
        Tensor z = solveInner(weight).withGrad();
        Tensor w = weight.withGrad();
        List<Tensor> outer = Autodiff.grad(outerLoss(z, w), List.of(z, w));
        double[][] hzz = new double[FREE][];
        double[][] hThetaZ = new double[FREE][];
        for (int j = 0; j < FREE; j++) {
            double[] unit = new double[FREE];
            unit[j] = 1;
            Tensor e = Tensor.fromArray(unit, Shape.of(1, FREE), ReferenceBackend.DEVICE);
            List<Tensor> columns = Autodiff.mixedProduct(innerLoss(z, w), z, List.of(z, w), e);
            hzz[j] = columns.get(0).toDoubleArray();
            hThetaZ[j] = columns.get(1).toDoubleArray();
        }
        double[] v = ImplicitHypergradientTest.solve(hzz, outer.get(0).toDoubleArray());
        double[] g = outer.get(1).toDoubleArray();
        for (int j = 0; j < FREE; j++) {
            for (int p = 0; p < g.length; p++) {
                g[p] -= hThetaZ[j][p] * v[j];
            }
        }
        return g;
    }

    private double[] hypergradient(ImplicitHypergradient.Settings settings) {
        Tensor z = solveInner(weight).withGrad();
        Tensor w = weight.withGrad();
        return ImplicitHypergradient.compute(innerLoss(z, w), outerLoss(z, w), z, List.of(w), settings)
                .gradients().get(0).toDoubleArray();
    }

    @Test
    void denseSolveIsTheDerivativeOfTheValueFunction() {
        double[] numeric = GradCheck.centralDifference(
                p -> outerLoss(solveInner(p.get(0)), p.get(0)).item(), List.of(weight), 0, 1e-5);
        GradCheck.compare("IFT gradient vs d psi / d theta", exactByDenseSolve(), numeric,
                new GradCheck.Tolerance(1e-5, 1e-5, 1e-8));
    }

    @Test
    void hypergradientOverTheFreeVariablesMatchesTheDenseSolve() {
        double[] exact = exactByDenseSolve();
        GradCheck.compare("fixed point, converged", hypergradient(new ImplicitHypergradient.Settings(
                        ImplicitHypergradient.Solver.FIXED_POINT, 2000, ETA, 1e-14)), exact,
                new GradCheck.Tolerance(0, 1e-8, 1e-10));
        GradCheck.compare("conjugate gradient", hypergradient(new ImplicitHypergradient.Settings(
                        ImplicitHypergradient.Solver.CONJUGATE_GRADIENT, FREE + 2, ETA, 1e-30)), exact,
                new GradCheck.Tolerance(0, 1e-8, 1e-10));
        Tensor w = weight.withGrad();
        double[] plain = Autodiff.grad(outerLoss(solveInner(weight), w), List.of(w)).get(0).toDoubleArray();
        assertTrue(ImplicitHypergradientTest.distance(plain, exact) > 1e-4,
                "the implicit term must matter on this problem, or the comparison proves nothing");
    }

    /** The ascent at a large step on a 1×4×4 linear model: the cap binds, and m, p and the image stay in [0,1]. */
    @Test
    void ascentKeepsMaskAndPatternInRangeAndTheMaskMeanUnderTheCap() {
        SplittableRandom r = new SplittableRandom(1);
        byte[] pixels = new byte[40 * 16];
        r.nextBytes(pixels);
        Dataset clean = Dataset.of("random", pixels, r.ints(40, 0, 3).toArray(), 1, 4, 4, Dataset.numberedClasses(3));
        Module model = new Sequential(new Flatten(), new Linear(16, 3, true, new SplittableRandom(2)));
        IbauSettings settings = maskPattern(0.001, 2.0, 0.1, 0);
        List<Batch> batches = UniversalPerturbation.roundBatches(clean, settings, 1);
        Tensor x = batches.get(0).images();
        Tensor z = TriggerFamily.of(settings).find(model, batches, loss -> { });
        double[] m = MaskPattern.mask(z, x).toDoubleArray();
        double mean = 0;
        for (double v : m) {
            assertTrue(v >= 0 && v <= 1, "mask value " + v);
            mean += v / m.length;
        }
        assertEquals(0.1, mean, 1e-6, "the ascent should push the mask's mean up to the cap and no further");
        for (double v : MaskPattern.pattern(z, x).toDoubleArray()) {
            assertTrue(v >= 0 && v <= 1, "pattern value " + v);
        }
        for (double v : TriggerFamily.of(settings).apply(x, z).toDoubleArray()) {
            assertTrue(v >= 0 && v <= 1, "stamped pixel " + v);
        }
    }

    /** (1 − m) ⊙ x + m ⊙ p, on the chosen rows only, with m shared by the channels. */
    @Test
    void stampIsTheMaskedBlendOfImageAndPatternOnTheChosenRows() {
        Tensor z = random(-3, 3, 1, FREE);
        double[] m = MaskPattern.mask(z, outerImages).toDoubleArray();
        double[] p = MaskPattern.pattern(z, outerImages).toDoubleArray();
        double[] x = outerImages.toDoubleArray();
        double[] rows = outerRows.toDoubleArray();
        double[] stamped = family.applyTo(outerImages, z, outerRows).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            int image = i / D;
            int pixel = i % PIXELS;
            double expected = rows[image] == 0 ? x[i] : (1 - m[pixel]) * x[i] + m[pixel] * p[i % D];
            assertEquals(expected, stamped[i], 1e-12, "value " + i);
        }
    }

    /** The stamp and the budget are differentiable in every free variable, to first and second order. */
    @Test
    void stampAndPenaltyDifferentiateInEveryFreeVariable() {
        GradCheck.checkAll("stamp", z -> family.applyTo(outerImages, z.get(0), outerRows),
                List.of(random(-2, 2, 1, FREE)), new SplittableRandom(7), GradCheck.Tolerance.FLOAT64);
        GradCheck.checkAll("penalty", z -> family.penalty(z.get(0), outerImages),
                List.of(random(-2, 2, 1, FREE)), new SplittableRandom(8), GradCheck.Tolerance.FLOAT64);
    }
}
