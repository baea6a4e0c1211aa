package antidote.check;

import antidote.core.DType;
import antidote.grad.Autodiff;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Gradient checks in float64: a VJP against central differences, the dot-product identity
 * ⟨J·t, c⟩ = ⟨t, Jᵀ·c⟩ (with J·t obtained by differentiating the VJP, and itself checked against a
 * directional difference), and the second order: the VJP of the VJP against central differences.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Finite-difference step and the tolerance |a − b| ≤ atol + rtol·max(|a|, |b|). */
    public record Tolerance(double step, double rtol, double atol) {
        public static final Tolerance FLOAT64 = new Tolerance(1e-5, 1e-5, 1e-7);

        boolean close(double a, double b) {
            return Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
        }
    }

    /** Runs all three checks. */
    public static void checkAll(String label, Function<List<Tensor>, Tensor> f, List<Tensor> inputs,
                                RandomGenerator rng, Tolerance tol) {
        checkVjp(label, f, inputs, rng, tol);
        checkDotProduct(label, f, inputs, rng, tol);
        checkSecondOrder(label, f, inputs, rng, tol);
    }

    /** ∂⟨c, f(x)⟩/∂x_i by the VJP equals its central difference, element by element. */
    public static void checkVjp(String label, Function<List<Tensor>, Tensor> f, List<Tensor> inputs,
                                RandomGenerator rng, Tolerance tol) {
        List<Tensor> leaves = leaves(inputs);
        Tensor y = f.apply(leaves);
        Tensor c = randomLike(y, rng);
        List<Tensor> grads = Autodiff.grad(y, leaves, c, false);
        for (int i = 0; i < inputs.size(); i++) {
            double[] analytic = grads.get(i).toDoubleArray();
            double[] numeric = centralDifference(x -> dot(c, f.apply(x)), inputs, i, tol.step());
            compare(label + ": VJP of input " + i, analytic, numeric, tol);
        }
    }

    /** ⟨J·t, c⟩ = ⟨t, Jᵀ·c⟩, and J·t (the derivative of the VJP in its seed) matches a directional difference. */
    public static void checkDotProduct(String label, Function<List<Tensor>, Tensor> f, List<Tensor> inputs,
                                       RandomGenerator rng, Tolerance tol) {
        List<Tensor> leaves = leaves(inputs);
        Tensor y = f.apply(leaves);
        Tensor u = randomLike(y, rng).withGrad();
        List<Tensor> vjpOfU = Autodiff.grad(y, leaves, u, true);
        List<Tensor> t = new ArrayList<>();
        Tensor inner = y.constant(0, antidote.tensor.Shape.scalar());
        for (int i = 0; i < inputs.size(); i++) {
            t.add(randomLike(inputs.get(i), rng));
            inner = inner.add(vjpOfU.get(i).mul(t.get(i)).sum().to(inner.dtype()));
        }
        Tensor jvp = Autodiff.grad(inner, List.of(u)).get(0);

        Tensor c = randomLike(y, rng);
        List<Tensor> vjpOfC = Autodiff.grad(y, leaves, c, false);
        double lhs = dot(jvp, c);
        double rhs = 0;
        for (int i = 0; i < inputs.size(); i++) {
            rhs += dot(t.get(i), vjpOfC.get(i));
        }
        compare(label + ": dot-product identity <Jt,c> = <t,J'c>", new double[]{lhs}, new double[]{rhs}, tol);

        double h = tol.step();
        double[] plus = f.apply(shift(inputs, t, h)).toDoubleArray();
        double[] minus = f.apply(shift(inputs, t, -h)).toDoubleArray();
        double[] directional = new double[plus.length];
        for (int k = 0; k < plus.length; k++) {
            directional[k] = (plus[k] - minus[k]) / (2 * h);
        }
        compare(label + ": J*t by double VJP vs directional difference", jvp.toDoubleArray(), directional, tol);
    }

    /** The gradient of G(x) = ⟨Jᵀ(x)·c, d⟩ (a VJP of the VJP) equals the central difference of G. */
    public static void checkSecondOrder(String label, Function<List<Tensor>, Tensor> f, List<Tensor> inputs,
                                        RandomGenerator rng, Tolerance tol) {
        Tensor probe = f.apply(inputs);
        Tensor c = randomLike(probe, rng);
        List<Tensor> d = new ArrayList<>();
        for (Tensor x : inputs) {
            d.add(randomLike(x, rng));
        }
        Function<List<Tensor>, Tensor> g = x -> vjpAlong(f, leaves(x), c, d);
        List<Tensor> leaves = leaves(inputs);
        Tensor s = vjpAlong(f, leaves, c, d);
        List<Tensor> second = Autodiff.grad(s, leaves);
        for (int i = 0; i < inputs.size(); i++) {
            double[] numeric = centralDifference(x -> g.apply(x).item(), inputs, i, tol.step());
            compare(label + ": second order (VJP of VJP) of input " + i, second.get(i).toDoubleArray(), numeric, tol);
        }
    }

    /** ⟨Jᵀ(x)·c, d⟩ at the given leaves, with the backward pass recorded so it can be differentiated. */
    private static Tensor vjpAlong(Function<List<Tensor>, Tensor> f, List<Tensor> leaves, Tensor c, List<Tensor> d) {
        List<Tensor> vjp = Autodiff.grad(f.apply(leaves), leaves, c, true);
        Tensor s = c.constant(0, antidote.tensor.Shape.scalar());
        for (int i = 0; i < vjp.size(); i++) {
            s = s.add(vjp.get(i).mul(d.get(i)).sum().to(s.dtype()));
        }
        return s;
    }

    /** Central differences of a scalar function with respect to every element of input {@code which}. */
    public static double[] centralDifference(Function<List<Tensor>, Double> scalar, List<Tensor> inputs, int which,
                                             double h) {
        Tensor x = inputs.get(which);
        double[] base = x.toDoubleArray();
        double[] out = new double[base.length];
        for (int j = 0; j < base.length; j++) {
            double keep = base[j];
            base[j] = keep + h;
            double plus = scalar.apply(replace(inputs, which, rebuild(x, base)));
            base[j] = keep - h;
            double minus = scalar.apply(replace(inputs, which, rebuild(x, base)));
            base[j] = keep;
            out[j] = (plus - minus) / (2 * h);
        }
        return out;
    }

    /** Asserts elementwise closeness with a message that names the check, the index and both values. */
    public static void compare(String what, double[] analytic, double[] numeric, Tolerance tol) {
        if (analytic.length != numeric.length) {
            throw new AssertionError(what + ": length " + analytic.length + " vs " + numeric.length);
        }
        for (int k = 0; k < analytic.length; k++) {
            if (!tol.close(analytic[k], numeric[k])) {
                throw new AssertionError(what + ": element " + k + " autodiff " + analytic[k] + " vs numeric "
                        + numeric[k]);
            }
        }
    }

    /** ⟨a, b⟩ over all elements, in float64. */
    public static double dot(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double s = 0;
        for (int k = 0; k < x.length; k++) {
            s += x[k] * y[k];
        }
        return s;
    }

    /** Uniform values in [-1, 1) with {@code like}'s shape, dtype and device. */
    public static Tensor randomLike(Tensor like, RandomGenerator rng) {
        double[] v = new double[like.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = rng.nextDouble() * 2 - 1;
        }
        return Tensor.fromArray(v, like.shape(), like.device()).to(like.dtype());
    }

    private static List<Tensor> leaves(List<Tensor> inputs) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor x : inputs) {
            out.add(x.detach().withGrad());
        }
        return out;
    }

    private static List<Tensor> shift(List<Tensor> inputs, List<Tensor> direction, double h) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            double[] x = inputs.get(i).toDoubleArray();
            double[] t = direction.get(i).toDoubleArray();
            for (int k = 0; k < x.length; k++) {
                x[k] += h * t[k];
            }
            out.add(rebuild(inputs.get(i), x));
        }
        return out;
    }

    private static List<Tensor> replace(List<Tensor> inputs, int which, Tensor x) {
        List<Tensor> out = new ArrayList<>(inputs);
        out.set(which, x);
        return out;
    }

    private static Tensor rebuild(Tensor like, double[] values) {
        Tensor t = Tensor.fromArray(values, like.shape(), like.device());
        return like.dtype() == DType.FLOAT64 ? t : t.to(like.dtype());
    }
}
