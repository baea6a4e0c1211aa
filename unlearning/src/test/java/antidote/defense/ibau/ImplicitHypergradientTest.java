package antidote.defense.ibau;

import antidote.check.GradCheck;
import antidote.check.ReferenceBackend;
import antidote.grad.Autodiff;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hypergradient on a problem whose inner minimisation is strongly convex (a linear softmax model with
 * an L2-penalised universal δ), against the implicit-function-theorem gradient computed with dense
 * matrices and a direct solve, and against finite differences of ψ(θ) = L_out(δ*(θ), θ).
 */
class ImplicitHypergradientTest {
    private static final int D = 4;
    private static final int C = 3;
    private static final double LAMBDA = 0.5;
    private static final double ETA = 0.1;

    private final SplittableRandom rng = new SplittableRandom(11);
    private final Tensor innerBatch = random(6, D);
    private final int[] innerLabels = {0, 1, 2, 0, 1, 2};
    private final Tensor outerBatch = random(5, D);
    private final int[] outerLabels = {2, 2, 1, 0, 1};
    private final Tensor weight = random(C, D);

    private Tensor random(int... shape) {
        double[] v = new double[Shape.of(shape).size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = rng.nextDouble(-1, 1);
        }
        return Tensor.fromArray(v, Shape.of(shape), ReferenceBackend.DEVICE);
    }

    private Tensor innerLoss(Tensor delta, Tensor w) {
        return innerBatch.add(delta).matmul(w.transpose(0, 1)).crossEntropy(innerLabels)
                .add(delta.square().sum().mul(LAMBDA));
    }

    private Tensor outerLoss(Tensor delta, Tensor w) {
        return outerBatch.add(delta).matmul(w.transpose(0, 1)).tanh().crossEntropy(outerLabels);
    }

    /** δ*(w) by running the fixed-point map Φ to convergence. */
    private Tensor solveInner(Tensor w) {
        Tensor delta = Tensor.full(Shape.of(1, D), 0, weight.dtype(), weight.device());
        for (int k = 0; k < 2000; k++) {
            Tensor leaf = delta.withGrad();
            Tensor g = Autodiff.grad(innerLoss(leaf, w), List.of(leaf)).get(0);
            delta = delta.sub(g.mul(ETA));
            if (g.square().sum().item() < 1e-26) {
                break;
            }
        }
        return delta;
    }

    private ImplicitHypergradient.Result hypergradient(ImplicitHypergradient.Settings settings) {
        Tensor delta = solveInner(weight).withGrad();
        Tensor w = weight.withGrad();
        return ImplicitHypergradient.compute(innerLoss(delta, w), outerLoss(delta, w), delta, List.of(w), settings);
    }

    /** ∇_θL_out − H_θδ·H_δδ⁻¹·∇_δL_out with the Hessian blocks built column by column and a dense solve. */
    private double[] exactByDenseSolve() {
        Tensor delta = solveInner(weight).withGrad();
        Tensor w = weight.withGrad();
        List<Tensor> outer = Autodiff.grad(outerLoss(delta, w), List.of(delta, w));
        double[] b = outer.get(0).toDoubleArray();
        double[][] hDeltaDelta = new double[D][];
        double[][] hThetaDelta = new double[D][];
        for (int j = 0; j < D; j++) {
            double[] unit = new double[D];
            unit[j] = 1;
            Tensor e = Tensor.fromArray(unit, Shape.of(1, D), ReferenceBackend.DEVICE);
            List<Tensor> columns = Autodiff.mixedProduct(innerLoss(delta, w), delta, List.of(delta, w), e);
            hDeltaDelta[j] = columns.get(0).toDoubleArray();
            hThetaDelta[j] = columns.get(1).toDoubleArray();
        }
        double[] v = solve(hDeltaDelta, b);
        double[] g = outer.get(1).toDoubleArray();
        for (int j = 0; j < D; j++) {
            for (int p = 0; p < g.length; p++) {
                g[p] -= hThetaDelta[j][p] * v[j];
            }
        }
        return g;
    }

    /** Gaussian elimination with partial pivoting (a is symmetric, so rows and columns coincide). */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c] / m[c][c];
                    for (int k = c; k <= n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n] / m[i][i];
        }
        return x;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void exactGradientMatchesFiniteDifferencesOfTheValueFunction() {
        double[] numeric = GradCheck.centralDifference(
                p -> outerLoss(solveInner(p.get(0)), p.get(0)).item(), List.of(weight), 0, 1e-5);
        GradCheck.compare("IFT gradient vs d psi / d theta", exactByDenseSolve(), numeric,
                new GradCheck.Tolerance(1e-5, 1e-5, 1e-8));
    }

    @Test
    void fixedPointConvergesToTheExactGradientAsKGrows() {
        double[] exact = exactByDenseSolve();
        double previous = Double.POSITIVE_INFINITY;
        for (int k : new int[]{1, 5, 25, 100}) {
            ImplicitHypergradient.Settings s =
                    new ImplicitHypergradient.Settings(ImplicitHypergradient.Solver.FIXED_POINT, k, ETA, 0);
            double error = distance(hypergradient(s).gradients().get(0).toDoubleArray(), exact);
            assertTrue(error < previous, "error must shrink as K grows: K=" + k + " gave " + error
                    + " after " + previous);
            previous = error;
        }
        ImplicitHypergradient.Settings converged =
                new ImplicitHypergradient.Settings(ImplicitHypergradient.Solver.FIXED_POINT, 1000, ETA, 1e-14);
        ImplicitHypergradient.Result r = hypergradient(converged);
        GradCheck.compare("fixed point, converged", r.gradients().get(0).toDoubleArray(), exact,
                new GradCheck.Tolerance(0, 1e-8, 1e-10));
        assertTrue(r.steps() < 1000, "the tolerance must stop the iteration early, ran " + r.steps());
    }

    /**
     * The early stop compares the norm of v's change with the tolerance (hypergrad.py), not its square. With
     * L_in = 2.5·w·δ² (H_δδ = 5, so ηH = 0.5) and L_out = w·δ at w = 1, v's changes are 1, 0.5, 0.25, 0.125:
     * tolerance 0.2 stops after the fourth step (0.125 < 0.2), where squares would stop after the third.
     */
    @Test
    void fixedPointStopsWhenTheNormOfTheChangeIsBelowTheTolerance() {
        Tensor delta = Tensor.fromArray(new double[] {0.3}, Shape.of(1), ReferenceBackend.DEVICE).withGrad();
        Tensor w = Tensor.fromArray(new double[] {1}, Shape.of(1), ReferenceBackend.DEVICE).withGrad();
        Tensor inner = delta.square().mul(w).mul(2.5).sum();
        Tensor outer = delta.mul(w).sum();
        ImplicitHypergradient.Settings s =
                new ImplicitHypergradient.Settings(ImplicitHypergradient.Solver.FIXED_POINT, 100, 0.1, 0.2);
        assertEquals(4, ImplicitHypergradient.compute(inner, outer, delta, List.of(w), s).steps());
    }

    @Test
    void conjugateGradientIsExactAfterDimensionManySteps() {
        double[] exact = exactByDenseSolve();
        ImplicitHypergradient.Settings s =
                new ImplicitHypergradient.Settings(ImplicitHypergradient.Solver.CONJUGATE_GRADIENT, D + 2, ETA, 1e-30);
        GradCheck.compare("conjugate gradient", hypergradient(s).gradients().get(0).toDoubleArray(), exact,
                new GradCheck.Tolerance(0, 1e-8, 1e-10));
        ImplicitHypergradient.Settings one =
                new ImplicitHypergradient.Settings(ImplicitHypergradient.Solver.CONJUGATE_GRADIENT, 1, ETA, 0);
        assertTrue(distance(hypergradient(one).gradients().get(0).toDoubleArray(), exact) > 1e-6,
                "one CG step should not already be exact on this problem");
    }
}
