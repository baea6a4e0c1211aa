package antidote.backend.cpu;

import antidote.backend.Backend;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.check.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shapes large enough to reach the GEMM's blocking (k past one KC block, m past one MC block, the split by
 * columns between threads) and the convolutions' two input-gradient paths, on both kernel paths, against the
 * reference; plus the promise that matmul and conv2d give the same bits on any thread count.
 */
class CpuBackendBlockingTest {
    private static final double TOLERANCE = 1e-5;
    private final ReferenceBackend reference = new ReferenceBackend();

    private static List<Backend> backends() {
        return List.of(new CpuBackend(1), new CpuBackend(2, 1), new CpuBackend(3, 1),
                new CpuBackend(1, CpuBackend.DEFAULT_GRAIN, true), new CpuBackend(2, 1, true));
    }

    @Test
    void matmulAcrossBlocksAndColumnSplits() {
        SplittableRandom random = new SplittableRandom(7);
        int[][] sizes = {{150, 1100, 300}, {9, 600, 1000}, {70, 513, 33}};
        for (int[] s : sizes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            float[] a = uniform(random, m * k);
            float[] b = uniform(random, k * n);
            double[] expected = reference.toDoubleArray(reference.matmul(reference.fromArray(a), reference.fromArray(b),
                    1, m, k, n));
            for (Backend backend : backends()) {
                double[] actual = backend.toDoubleArray(backend.matmul(backend.fromArray(a), backend.fromArray(b), 1, m,
                        k, n));
                assertClose("matmul " + m + "x" + k + "x" + n + " on " + backend, expected, actual, k);
            }
        }
    }

    @Test
    void convolutionsWithManyChannelsBothStrides() {
        SplittableRandom random = new SplittableRandom(11);
        // C·KH·KW = 64·9 = 576 rows spans two KC blocks; 70 filters is not a multiple of the tile; stride 1 takes
        // the flipped-filter input gradient, stride 2 the col2im one, padding 0 a flipped filter padded by 2.
        for (ConvGeometry g : List.of(ConvGeometry.of(1, 1), ConvGeometry.of(2, 1), ConvGeometry.of(1, 0))) {
            int[] xShape = {2, 64, 7, 9};
            int[] wShape = {70, 64, 3, 3};
            int[] gradShape = {2, 70, g.outH(7, 3), g.outW(9, 3)};
            float[] x = uniform(random, size(xShape));
            float[] w = uniform(random, size(wShape));
            float[] grad = uniform(random, size(gradShape));
            double[] forward = reference.toDoubleArray(reference.conv2d(reference.fromArray(x), xShape,
                    reference.fromArray(w), wShape, g));
            double[] dx = reference.toDoubleArray(reference.conv2dBackwardInput(reference.fromArray(grad), gradShape,
                    reference.fromArray(w), wShape, xShape, g));
            double[] dw = reference.toDoubleArray(reference.conv2dBackwardFilter(reference.fromArray(x), xShape,
                    reference.fromArray(grad), gradShape, wShape, g));
            for (Backend backend : backends()) {
                String what = g + " on " + backend;
                assertClose("conv2d " + what, forward, backend.toDoubleArray(backend.conv2d(backend.fromArray(x), xShape,
                        backend.fromArray(w), wShape, g)), 576);
                assertClose("conv2dBackwardInput " + what, dx, backend.toDoubleArray(backend.conv2dBackwardInput(
                        backend.fromArray(grad), gradShape, backend.fromArray(w), wShape, xShape, g)), 630);
                assertClose("conv2dBackwardFilter " + what, dw, backend.toDoubleArray(backend.conv2dBackwardFilter(
                        backend.fromArray(x), xShape, backend.fromArray(grad), gradShape, wShape, g)), 2 * 63);
            }
        }
    }

    @Test
    void filterGradientOverPlanesLongerThanOneKBlock() {
        // 24x24 = 576 output positions, the filter gradient's k, span two KC blocks; 32 channels take the
        // channels-last path, 3 the im2col one; 20 filters is not a multiple of the tile's rows.
        SplittableRandom random = new SplittableRandom(5);
        for (int channels : new int[]{32, 3}) {
            int[] xShape = {2, channels, 24, 24};
            int[] wShape = {20, channels, 3, 3};
            int[] gradShape = {2, 20, 24, 24};
            float[] x = uniform(random, size(xShape));
            float[] grad = uniform(random, size(gradShape));
            ConvGeometry g = ConvGeometry.of(1, 1);
            double[] dw = reference.toDoubleArray(reference.conv2dBackwardFilter(reference.fromArray(x), xShape,
                    reference.fromArray(grad), gradShape, wShape, g));
            for (Backend backend : backends()) {
                assertClose("conv2dBackwardFilter " + channels + " channels on " + backend, dw,
                        backend.toDoubleArray(backend.conv2dBackwardFilter(backend.fromArray(x), xShape,
                                backend.fromArray(grad), gradShape, wShape, g)), 2 * 576);
            }
        }
    }

    @Test
    void matmulAndConv2dDoNotDependOnTheThreadCount() {
        SplittableRandom random = new SplittableRandom(3);
        float[] a = uniform(random, 64 * 700);
        float[] b = uniform(random, 700 * 520);
        int[] xShape = {5, 8, 9, 9};
        int[] wShape = {16, 8, 3, 3};
        float[] x = uniform(random, size(xShape));
        float[] w = uniform(random, size(wShape));
        double[] matmul = null;
        double[] conv = null;
        for (Backend backend : List.of(new CpuBackend(1), new CpuBackend(2, 1), new CpuBackend(3, 1))) {
            Storage product = backend.matmul(backend.fromArray(a), backend.fromArray(b), 1, 64, 700, 520);
            Storage y = backend.conv2d(backend.fromArray(x), xShape, backend.fromArray(w), wShape, ConvGeometry.of(1, 1));
            if (matmul == null) {
                matmul = backend.toDoubleArray(product);
                conv = backend.toDoubleArray(y);
            } else {
                assertArrayEquals(matmul, backend.toDoubleArray(product), "matmul on " + backend);
                assertArrayEquals(conv, backend.toDoubleArray(y), "conv2d on " + backend);
            }
        }
    }

    private static void assertClose(String what, double[] expected, double[] actual, double length) {
        assertTrue(expected.length == actual.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            double tolerance = TOLERANCE * (Math.abs(expected[i]) + length);
            if (Math.abs(expected[i] - actual[i]) > tolerance) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
