package antidote.grad;

import antidote.check.GradCheck;
import antidote.check.ReferenceBackend;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * I-BAU's differentiation pattern on a small CNN (conv → batchNorm → elu → maxPool → conv → flatten →
 * linear → crossEntropy) with a universal perturbation δ broadcast over the batch: the gradients with
 * respect to δ and to every weight, and the products H_δδ·v and H_θδ·v, against finite differences in float64.
 */
class SmallCnnEndToEndTest {
    private static final GradCheck.Tolerance TOL = new GradCheck.Tolerance(1e-5, 1e-5, 1e-7);
    private static final int[] LABELS = {0, 3, 1};

    private final SplittableRandom rng = new SplittableRandom(7);
    private final Tensor images = random(3, 2, 6, 6);

    /** δ first, then conv1 weight and bias, batch-norm scale and shift, conv2 weight, linear weight and bias. */
    private final List<Tensor> point = List.of(
            random(1, 2, 6, 6).mul(0.5),
            random(3, 2, 3, 3).mul(0.5), random(3).mul(0.1),
            random(3).mul(0.2).add(1.0), random(3).mul(0.1),
            random(2, 3, 2, 2).mul(0.5),
            random(4, 8).mul(0.5), random(4).mul(0.1));

    private Tensor random(int... shape) {
        double[] v = new double[Shape.of(shape).size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = rng.nextDouble(-1, 1);
        }
        return Tensor.fromArray(v, Shape.of(shape), ReferenceBackend.DEVICE);
    }

    private Tensor loss(List<Tensor> p) {
        Tensor x = images.add(p.get(0));
        x = x.conv2d(p.get(1), p.get(2), 1, 1).batchNormTrain(p.get(3), p.get(4), 1e-5).elu();
        x = x.maxPool2d(2, 2, 0);
        x = x.conv2d(p.get(5), null, 1, 0).flatten(1);
        return x.linear(p.get(6), p.get(7)).crossEntropy(LABELS);
    }

    private static List<Tensor> leaves(List<Tensor> p) {
        List<Tensor> out = new ArrayList<>();
        p.forEach(t -> out.add(t.detach().withGrad()));
        return out;
    }

    @Test
    void gradientsWithRespectToDeltaAndEveryWeightMatchFiniteDifferences() {
        List<Tensor> leaves = leaves(point);
        List<Tensor> grads = Autodiff.grad(loss(leaves), leaves);
        for (int i = 0; i < point.size(); i++) {
            double[] numeric = GradCheck.centralDifference(p -> loss(p).item(), point, i, TOL.step());
            GradCheck.compare("gradient of input " + i, grads.get(i).toDoubleArray(), numeric, TOL);
        }
    }

    @Test
    void deltaDeltaAndThetaDeltaProductsMatchFiniteDifferences() {
        Tensor v = random(1, 2, 6, 6);
        List<Tensor> leaves = leaves(point);
        Tensor delta = leaves.get(0);
        List<Tensor> targets = new ArrayList<>(leaves);
        List<Tensor> products = Autodiff.mixedProduct(loss(leaves), delta, targets, v);
        for (int i = 0; i < point.size(); i++) {
            // ∂/∂p_i ⟨∂L/∂δ, v⟩ by central differences of the autodiff gradient in δ.
            double[] numeric = GradCheck.centralDifference(p -> {
                List<Tensor> l = leaves(p);
                return GradCheck.dot(Autodiff.grad(loss(l), List.of(l.get(0))).get(0), v);
            }, point, i, TOL.step());
            String what = i == 0 ? "H_delta,delta v" : "H_theta,delta v for weight " + i;
            GradCheck.compare(what, products.get(i).toDoubleArray(), numeric, TOL);
        }
        Tensor hvp = Autodiff.hvp(d -> {
            List<Tensor> p = new ArrayList<>(point);
            p.set(0, d);
            return loss(p);
        }, point.get(0), v);
        GradCheck.compare("hvp agrees with the mixed product's delta block", hvp.toDoubleArray(),
                products.get(0).toDoubleArray(), TOL);
    }
}
