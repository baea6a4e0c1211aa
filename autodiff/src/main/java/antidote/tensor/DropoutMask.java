package antidote.tensor;

import antidote.core.DType;
import antidote.core.Device;

import java.util.random.RandomGenerator;

/**
 * The mask of inverted dropout: each element 0 with probability p, else 1/(1−p), one {@code nextLong} per element
 * tested as {@code nextDouble} would be. An element is dropped when its draw u = (nextLong() >>> 11)·2⁻⁵³
 * (nextDouble's definition) is below p, i.e. when nextLong() >>> 11 is below ⌈p·2⁵³⌉ (exact: p·2⁵³ only shifts
 * p's exponent). The integer test is branch-free: a branch on random bits mispredicted often enough to cost
 * 15 ns per element.
 */
final class DropoutMask {
    private DropoutMask() {
    }

    /** The mask for a tensor of {@code shape}, {@code dtype} and {@code device}; p in (0, 1). */
    static Tensor draw(double p, RandomGenerator rng, Shape shape, DType dtype, Device device) {
        double scale = 1.0 / (1.0 - p);
        long threshold = (long) Math.ceil(p * 0x1.0p53);
        int size = shape.size();
        if (dtype == DType.FLOAT32) {
            float[] mask = new float[size];
            float kept = (float) scale;
            for (int i = 0; i < size; i++) {
                mask[i] = kept * keepBit(rng.nextLong(), threshold);
            }
            return Tensor.fromArray(mask, shape, device);
        }
        double[] mask = new double[size];
        for (int i = 0; i < size; i++) {
            mask[i] = scale * keepBit(rng.nextLong(), threshold);
        }
        return Tensor.fromArray(mask, shape, device);
    }

    /** 1 when the draw's top 53 bits reach {@code threshold} (below 2⁵³), else 0, without a branch. */
    private static int keepBit(long draw, long threshold) {
        return (int) (((draw >>> 11) - threshold) >>> 63) ^ 1;
    }
}
