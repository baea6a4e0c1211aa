package antidote.grad;

import antidote.check.GradCheck;
import antidote.check.ReferenceBackend;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Hessian-vector products as properties: Hv matches the central difference of the gradient along v,
 * ⟨u,Hv⟩ = ⟨v,Hu⟩, and H is linear in v. The same for the mixed product ∂²f/∂θ∂δ·v.
 */
class HvpPropertiesTest {
    private static final GradCheck.Tolerance TOL = new GradCheck.Tolerance(1e-5, 1e-5, 1e-7);

    /** A smooth non-quadratic scalar function: softplus-like terms of an affine map plus a log-sum-exp. */
    private static Function<Tensor, Tensor> function(Tensor weight) {
        return x -> {
            Tensor z = weight.matmul(x.reshape(-1, 1)).tanh();
            return z.square().sum().add(x.reshape(1, -1).logSoftmax(1).sum().neg()).add(x.sigmoid().pow(3).sum());
        };
    }

    private static Tensor random(SplittableRandom r, int... shape) {
        double[] v = new double[Shape.of(shape).size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = r.nextDouble(-1, 1);
        }
        return Tensor.fromArray(v, Shape.of(shape), ReferenceBackend.DEVICE);
    }

    private static Tensor gradient(Function<Tensor, Tensor> f, Tensor x) {
        Tensor leaf = x.withGrad();
        return Autodiff.grad(f.apply(leaf), List.of(leaf)).get(0);
    }

    @Property(tries = 40)
    void hvpMatchesDifferenceOfGradients(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Function<Tensor, Tensor> f = function(random(r, 3, n));
        Tensor x = random(r, n);
        Tensor v = random(r, n);
        Tensor hv = Autodiff.hvp(f, x, v);
        double h = TOL.step();
        double[] plus = gradient(f, x.add(v.mul(h))).toDoubleArray();
        double[] minus = gradient(f, x.sub(v.mul(h))).toDoubleArray();
        double[] numeric = new double[n];
        for (int k = 0; k < n; k++) {
            numeric[k] = (plus[k] - minus[k]) / (2 * h);
        }
        GradCheck.compare("Hv", hv.toDoubleArray(), numeric, TOL);
    }

    @Property(tries = 40)
    void hvpIsSymmetricAndLinear(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Function<Tensor, Tensor> f = function(random(r, 2, n));
        Tensor x = random(r, n);
        Tensor u = random(r, n);
        Tensor v = random(r, n);
        Tensor hu = Autodiff.hvp(f, x, u);
        Tensor hv = Autodiff.hvp(f, x, v);
        GradCheck.compare("<u,Hv> = <v,Hu>", new double[]{GradCheck.dot(u, hv)},
                new double[]{GradCheck.dot(v, hu)}, TOL);
        double a = r.nextDouble(-2, 2);
        double b = r.nextDouble(-2, 2);
        Tensor combined = Autodiff.hvp(f, x, u.mul(a).add(v.mul(b)));
        GradCheck.compare("H(au+bv) = aHu + bHv", combined.toDoubleArray(),
                hu.mul(a).add(hv.mul(b)).toDoubleArray(), TOL);
    }

    /** f(δ, θ) = CE of a linear model on a batch with δ added to every sample. */
    private static Tensor loss(Tensor batch, int[] labels, Tensor delta, Tensor weight) {
        return batch.add(delta).matmul(weight.transpose(0, 1)).elu().crossEntropy(labels);
    }

    @Property(tries = 30)
    void mixedProductMatchesDifferencesAndIsLinearAndAdjoint(@ForAll @IntRange(min = 1, max = 4) int features,
                                                              @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int classes = 3;
        Tensor batch = random(r, 4, features);
        int[] labels = {0, 2, 1, 2};
        Tensor delta = random(r, 1, features).withGrad();
        Tensor weight = random(r, classes, features).withGrad();
        Tensor v = random(r, 1, features);
        Tensor w = random(r, classes, features);

        Tensor mixed = Autodiff.mixedProduct(loss(batch, labels, delta, weight), delta, List.of(weight), v).get(0);
        double[] numeric = GradCheck.centralDifference(t -> {
            Tensor d = delta.detach().withGrad();
            Tensor gradDelta = Autodiff.grad(loss(batch, labels, d, t.get(0)), List.of(d)).get(0);
            return GradCheck.dot(gradDelta, v);
        }, List.of(weight.detach()), 0, TOL.step());
        GradCheck.compare("H_theta,delta v", mixed.toDoubleArray(), numeric, TOL);

        // Adjoint: <w, H_θδ v> = <v, H_δθ w>, where H_δθ w = ∂/∂δ <∂f/∂θ, w>.
        Tensor gradTheta = Autodiff.grad(loss(batch, labels, delta, weight), List.of(weight), null, true).get(0);
        Tensor adjoint = Autodiff.grad(gradTheta.mul(w).sum(), List.of(delta)).get(0);
        GradCheck.compare("<w,H_td v> = <v,H_dt w>", new double[]{GradCheck.dot(w, mixed)},
                new double[]{GradCheck.dot(v, adjoint)}, TOL);

        Tensor twice = Autodiff.mixedProduct(loss(batch, labels, delta, weight), delta, List.of(weight), v.mul(2))
                .get(0);
        GradCheck.compare("linear in v", twice.toDoubleArray(), mixed.mul(2).toDoubleArray(), TOL);
    }
}
