package antidote.backend.cpu;

import antidote.backend.ConvGeometry;
import antidote.check.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WinogradConv} against the reference convolution with a bias, on both kernels and with one and three
 * threads (bit for bit the same): odd and even sides (a last tile half outside the image), planes wider than a
 * chunk and chunks spanning images, filter counts off the tile height, more channels than one block of k; and
 * which layers take the path. The SIMD transforms give the plain ones' bits.
 */
class WinogradConvTest {
    private final ReferenceBackend reference = new ReferenceBackend();

    @Test
    void theTransformedProductsMatchTheConvolution() {
        SplittableRandom random = new SplittableRandom(11);
        // images, channels, filters, height, width
        int[][] cases = {{3, 16, 17, 7, 7}, {2, 20, 16, 14, 14}, {1, 16, 24, 28, 28}, {5, 17, 19, 5, 6},
                {2, 16, 16, 1, 9}, {1, 520, 16, 4, 4}, {1, 16, 16, 64, 64}};
        for (Kernels kernels : new Kernels[]{new PlainKernels(), Kernels.select(false)}) {
            for (int[] c : cases) {
                int[] xShape = {c[0], c[1], c[3], c[4]};
                int[] wShape = {c[2], c[1], 3, 3};
                ConvGeometry g = ConvGeometry.of(1, 1);
                assertTrue(WinogradConv.suits(xShape, wShape, g));
                float[] x = uniform(random, c[0] * c[1] * c[3] * c[4]);
                float[] w = uniform(random, c[2] * c[1] * 9);
                float[] bias = uniform(random, c[2]);
                double[] expected = reference.toDoubleArray(reference.conv2dBias(reference.fromArray(x), xShape,
                        reference.fromArray(w), wShape, reference.fromArray(bias), g));
                float[] oneThread = conv(xShape, wShape, kernels, 1).forward(x, w, bias);
                String what = kernels.getClass().getSimpleName() + " " + java.util.Arrays.toString(c);
                assertEquals(expected.length, oneThread.length, what);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], oneThread[i], 1e-5 * (9 * c[1] + Math.abs(expected[i])),
                            what + " at " + i);
                }
                assertArrayEquals(oneThread, conv(xShape, wShape, kernels, 3).forward(x, w, bias), what);
            }
        }
    }

    @Test
    void theSimdTransformsGiveThePlainTransformsBits() {
        // 37 columns: whole vectors and a scalar tail; strides off the column count, offsets off zero
        SplittableRandom random = new SplittableRandom(13);
        int n = 37;
        float[] d = uniform(random, 3 + 36 * 41);
        float[] m = uniform(random, 5 + 36 * 43);
        Kernels plain = new PlainKernels();
        Kernels simd = Kernels.select(false);
        float[][] in = {new float[2 + 36 * 39], new float[2 + 36 * 39]};
        float[][] mm = {m.clone(), m.clone()};
        float[][] out = {new float[1 + 16 * 40], new float[1 + 16 * 40]};
        Kernels[] both = {plain, simd};
        for (int i = 0; i < 2; i++) {
            both[i].winogradInput(d, 3, 41, in[i], 2, 39, n);
            both[i].winogradOutput(mm[i], 5, 43, out[i], 1, 40, n);
        }
        assertArrayEquals(in[0], in[1], "input transform");
        assertArrayEquals(out[0], out[1], "output transform");
    }

    @Test
    void onlyThreeByThreeStrideOnePaddingOneLayersWithEnoughChannelsTakeThePath() {
        int[] x = {8, 32, 14, 14};
        assertTrue(WinogradConv.suits(x, new int[]{64, 32, 3, 3}, ConvGeometry.of(1, 1)));
        assertFalse(WinogradConv.suits(x, new int[]{64, 32, 3, 3}, ConvGeometry.of(2, 1)));
        assertFalse(WinogradConv.suits(x, new int[]{64, 32, 3, 3}, ConvGeometry.of(1, 0)));
        assertFalse(WinogradConv.suits(x, new int[]{64, 32, 1, 1}, ConvGeometry.of(1, 1)));
        // SmallVgg's first layer, and its input gradient (one "filter"): too thin for the products.
        assertFalse(WinogradConv.suits(new int[]{8, 1, 28, 28}, new int[]{32, 1, 3, 3}, ConvGeometry.of(1, 1)));
        assertFalse(WinogradConv.suits(new int[]{8, 32, 28, 28}, new int[]{1, 32, 3, 3}, ConvGeometry.of(1, 1)));
    }

    private static WinogradConv conv(int[] xShape, int[] wShape, Kernels kernels, int threads) {
        return new WinogradConv(xShape, wShape, new Parallel(threads, 1), kernels,
                ThreadLocal.withInitial(() -> new Workspace(kernels)));
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        return a;
    }
}
