package antidote.check;

import antidote.backend.Backend;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.core.DType;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The bit-repeatability check every backend shares: the kernels that accumulate (matmul, the three
 * convolutions, sum, logSoftmax, scatterAdd) give identical bits when run twice on the same input.
 */
public final class Repeatability {
    private Repeatability() {
    }

    /** Runs each accumulating kernel twice on seeded inputs, in both dtypes, and compares the bits. */
    public static void assertKernelsRepeatable(Backend backend) {
        for (DType dtype : DType.values()) {
            SplittableRandom random = new SplittableRandom(42);
            Storage a = upload(backend, dtype, random, 3 * 70 * 90);
            Storage b = upload(backend, dtype, random, 3 * 90 * 110);
            Storage x = upload(backend, dtype, random, 4 * 3 * 17 * 15);
            Storage w = upload(backend, dtype, random, 8 * 3 * 3 * 3);
            int[] xShape = {4, 3, 17, 15};
            int[] wShape = {8, 3, 3, 3};
            ConvGeometry g = ConvGeometry.of(2, 1);
            int[] gradShape = {4, 8, g.outH(17, 3), g.outW(15, 3)};
            Storage grad = upload(backend, dtype, random, 4 * 8 * gradShape[2] * gradShape[3]);
            int[] index = random.ints(5000, 0, 100).toArray();
            Storage src = upload(backend, dtype, random, 5000);

            assertRepeatable(backend, "matmul", be -> be.matmul(a, b, 3, 70, 90, 110));
            assertRepeatable(backend, "conv2d", be -> be.conv2d(x, xShape, w, wShape, g));
            assertRepeatable(backend, "conv2dBackwardInput",
                    be -> be.conv2dBackwardInput(grad, gradShape, w, wShape, xShape, g));
            assertRepeatable(backend, "conv2dBackwardFilter",
                    be -> be.conv2dBackwardFilter(x, xShape, grad, gradShape, wShape, g));
            assertRepeatable(backend, "sum", be -> be.sum(a, new int[]{3, 70, 90}, new boolean[]{true, false, true}));
            assertRepeatable(backend, "logSoftmax", be -> be.logSoftmax(b, 3, 90, 110));
            assertRepeatable(backend, "scatterAdd", be -> be.scatterAdd(src, index, 100));
        }
    }

    /** {@code size} uniform values in [-1, 1) from {@code random}, stored in {@code dtype} on {@code backend}. */
    public static Storage upload(Backend backend, DType dtype, SplittableRandom random, int size) {
        double[] values = random.doubles(size, -1, 1).toArray();
        if (dtype == DType.FLOAT64) {
            return backend.fromArray(values);
        }
        float[] floats = new float[size];
        for (int i = 0; i < size; i++) {
            floats[i] = (float) values[i];
        }
        return backend.fromArray(floats);
    }

    private static void assertRepeatable(Backend backend, String kernel, Function<Backend, Storage> run) {
        double[] first = backend.toDoubleArray(run.apply(backend));
        double[] second = backend.toDoubleArray(run.apply(backend));
        assertArrayEquals(first, second, kernel + " on " + backend + " differs between two identical runs");
    }
}
