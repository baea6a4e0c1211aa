package antidote.nn.layer;

import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.random.RandomGenerator;

/** PyTorch's default initialisation of Conv2d and Linear, drawn on the host from an explicit generator. */
final class Init {
    private Init() {
    }

    /**
     * Uniform on [−1/√fanIn, 1/√fanIn): PyTorch's {@code kaiming_uniform_(a=√5)} for weights reduces to
     * this bound (gain √(1/3) times √(3/fanIn)), and biases use the same bound.
     */
    static Tensor fanInUniform(RandomGenerator rng, int fanIn, int... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] v = new float[Shape.of(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        return Tensor.fromArray(v, shape);
    }
}
