package antidote.backend.cpu;

import antidote.backend.ConvGeometry;
import antidote.check.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BatchColumnsConv}'s three products against the reference convolution, on both kernels and with one and
 * three threads: 3x3 with stride 1 and 2, the 1x1 stride-2 shortcut (4x4 outputs like PreAct-ResNet18's last
 * stage) and a 2x2 plane, with image counts off the tile width and filter counts off the tile height.
 */
class BatchColumnsConvTest {
    private final ReferenceBackend reference = new ReferenceBackend();

    @Test
    void sumsOverTheTriplesInsideTheImageMatchTheConvolution() {
        SplittableRandom random = new SplittableRandom(5);
        int images = 37;
        // channels, size, kernel, stride, pad; 520 channels make the forward product's k (C per tap) longer than
        // one packed block (Gemm.KC)
        int[][] cases = {{6, 4, 3, 1, 1}, {6, 8, 3, 2, 1}, {5, 8, 1, 2, 0}, {520, 4, 3, 1, 1}, {9, 2, 3, 1, 1}};
        for (Kernels kernels : new Kernels[]{new PlainKernels(), Kernels.select(false)}) {
            for (int threads : new int[]{1, 3}) {
                Parallel parallel = new Parallel(threads, 1);
                ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(() -> new Workspace(kernels));
                for (int[] c : cases) {
                    ConvGeometry g = ConvGeometry.of(c[3], c[4]);
                    int filters = 11;
                    int[] xShape = {images, c[0], c[1], c[1]};
                    int[] wShape = {filters, c[0], c[2], c[2]};
                    int out = g.outH(c[1], c[2]);
                    assertTrue(BatchColumnsConv.suits(out, out), "the case must take this path");
                    int[] gradShape = {images, filters, out, out};
                    float[] x = uniform(random, images * c[0] * c[1] * c[1]);
                    float[] w = uniform(random, filters * c[0] * c[2] * c[2]);
                    float[] bias = uniform(random, filters);
                    float[] grad = uniform(random, images * filters * out * out);
                    BatchColumnsConv conv = new BatchColumnsConv(xShape, wShape, g, parallel, kernels, workspaces);
                    String what = kernels.getClass().getSimpleName() + " " + threads + " threads " + g + " " + c[1]
                            + "x" + c[1] + " C=" + c[0];
                    assertClose("forward " + what, reference.toDoubleArray(reference.conv2dBias(
                            reference.fromArray(x), xShape, reference.fromArray(w), wShape, reference.fromArray(bias),
                            g)), conv.forward(x, w, bias));
                    assertClose("input gradient " + what, reference.toDoubleArray(reference.conv2dBackwardInput(
                            reference.fromArray(grad), gradShape, reference.fromArray(w), wShape, xShape, g)),
                            conv.inputGradient(grad, w));
                    assertClose("filter gradient " + what, reference.toDoubleArray(reference.conv2dBackwardFilter(
                            reference.fromArray(x), xShape, reference.fromArray(grad), gradShape, wShape, g)),
                            conv.filterGradient(x, grad));
                }
            }
        }
    }

    private static void assertClose(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        return a;
    }
}
