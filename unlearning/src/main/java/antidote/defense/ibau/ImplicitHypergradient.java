package antidote.defense.ibau;

import antidote.defense.Setting;

import antidote.grad.Autodiff;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * I-BAU's implicit hypergradient (paper §3, Algorithm 1; Grazzi et al. 2020). The inner problem is solved
 * by the fixed-point map Φ(δ, θ) = δ − η∇_δL_in(δ, θ); at its fixed point δ*(θ) the implicit function
 * theorem gives
 * <pre>
 *   ∇ψ(θ) = ∇_θL_out + (∂Φ/∂θ)ᵀ v = ∇_θL_out − η·H_θδ·v,   where   v = (∂Φ/∂δ)ᵀ v + ∇_δL_out,
 * </pre>
 * i.e. (η·H_δδ)·v = ∇_δL_out. Every Hessian appears only in products, each one a second backward pass
 * through the recorded gradient ∇_δL_in: no Hessian is ever materialised.
 */
public final class ImplicitHypergradient {

    /** How the linear system for v is solved. */
    public enum Solver {
        /** K steps of v ← v − η·H_δδ·v + ∇_δL_out from v = 0 (the reference code's choice). */
        FIXED_POINT,
        /** Conjugate gradients on H_δδ·v = ∇_δL_out / η, which the paper mentions as an alternative. */
        CONJUGATE_GRADIENT
    }

    /**
     * @param solver     the linear solver
     * @param iterations K, the most solver steps (the reference code uses 5)
     * @param eta        η, the step of the fixed-point map (0.1)
     * @param tolerance  stop early when the update of v (or the CG residual) has an L2 norm below this, as the
     *                   reference code's hypergrad.py does (1e-10)
     */
    public record Settings(@Setting("linear solver of the hypergradient's system") Solver solver,
                           @Setting("most solver steps K") int iterations,
                           @Setting("step eta of the fixed-point map") double eta,
                           @Setting("stop once the norm of the solver's change (or CG residual) is below this")
                           double tolerance) {
        public static final Settings DEFAULT = new Settings(Solver.FIXED_POINT, 5, 0.1, 1e-10);

        public Settings {
            if (iterations < 1 || eta <= 0 || tolerance < 0) {
                throw new IllegalArgumentException("hypergradient settings need iterations >= 1, eta > 0 and "
                        + "tolerance >= 0; got " + iterations + ", " + eta + ", " + tolerance);
            }
        }
    }

    /** The result: one hypergradient per θ, and how many solver steps ran. */
    public record Result(List<Tensor> gradients, int steps) {
    }

    private ImplicitHypergradient() {
    }

    /**
     * Computes the hypergradient for {@code thetas}.
     *
     * @param innerLoss L_in, a scalar built from the leaves {@code delta} and {@code thetas}; Φ descends it
     * @param outerLoss L_out, a scalar built from the same leaves
     * @param delta     the inner variable δ at (or near) the fixed point, a leaf that requires a gradient
     * @param thetas    the outer variables θ, leaves that require gradients
     */
    public static Result compute(Tensor innerLoss, Tensor outerLoss, Tensor delta, List<Tensor> thetas,
                                 Settings settings) {
        List<Tensor> outerTargets = new ArrayList<>();
        outerTargets.add(delta);
        outerTargets.addAll(thetas);
        List<Tensor> outerGrads = Autodiff.grad(outerLoss, outerTargets);
        Tensor rhs = outerGrads.get(0);
        // Recorded once; each Hessian product below is one more backward pass through this gradient.
        Tensor innerGradDelta = Autodiff.grad(innerLoss, List.of(delta), null, true).get(0);

        Solve solve = settings.solver() == Solver.FIXED_POINT
                ? fixedPoint(innerGradDelta, delta, rhs, settings)
                : conjugateGradient(innerGradDelta, delta, rhs, settings);

        // The last pass through the recorded gradient: it releases the graph.
        List<Tensor> mixed = Autodiff.grad(innerGradDelta.mul(solve.v).sum(), thetas);
        List<Tensor> result = new ArrayList<>(thetas.size());
        for (int i = 0; i < thetas.size(); i++) {
            result.add(outerGrads.get(i + 1).sub(mixed.get(i).mul(settings.eta())));
        }
        return new Result(result, solve.steps);
    }

    private record Solve(Tensor v, int steps) {
    }

    /**
     * H_δδ·v by differentiating ⟨∇_δL_in, v⟩ once more in δ, keeping the graph: every solver step and the final
     * mixed product go through it again.
     */
    private static Tensor hessianTimes(Tensor innerGradDelta, Tensor delta, Tensor v) {
        return Autodiff.grad(innerGradDelta.mul(v).sum(), List.of(delta), null, false, true).get(0);
    }

    private static Solve fixedPoint(Tensor innerGradDelta, Tensor delta, Tensor rhs, Settings s) {
        Tensor v = rhs.zerosLike();
        int k = 0;
        while (k < s.iterations()) {
            // From v = 0 the first step is exactly rhs (H·0 = 0), so it needs no Hessian product.
            Tensor next = k == 0 ? rhs : v.sub(hessianTimes(innerGradDelta, delta, v).mul(s.eta())).add(rhs);
            double change = Math.sqrt(next.sub(v).square().sum().item());
            v = next;
            k++;
            if (change < s.tolerance()) {
                break;
            }
        }
        return new Solve(v, k);
    }

    private static Solve conjugateGradient(Tensor innerGradDelta, Tensor delta, Tensor rhs, Settings s) {
        Tensor b = rhs.div(s.eta());
        Tensor v = b.zerosLike();
        Tensor residual = b;
        Tensor direction = residual;
        // CG's step sizes need the squared norm; the tolerance is compared with the norm.
        double residualSquared = residual.square().sum().item();
        int k = 0;
        while (k < s.iterations() && Math.sqrt(residualSquared) >= s.tolerance()) {
            Tensor hd = hessianTimes(innerGradDelta, delta, direction);
            double curvature = direction.mul(hd).sum().item();
            if (curvature <= 0) {
                // H_δδ is not positive definite along this direction: the fixed point is not a strict minimum.
                break;
            }
            double alpha = residualSquared / curvature;
            v = v.add(direction.mul(alpha));
            residual = residual.sub(hd.mul(alpha));
            double next = residual.square().sum().item();
            direction = residual.add(direction.mul(next / residualSquared));
            residualSquared = next;
            k++;
        }
        return new Solve(v, k);
    }
}
