package antidote.backend.cpu;

import antidote.backend.ConvGeometry;
import antidote.check.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GroupedConv}'s three products against the reference convolution, with more images than one group holds
 * and the images split into two uneven ranges (as two threads would take them), on both kernel paths: 3x3 with
 * stride 1 and 2, and the 1x1 stride-2 shortcut, all with 4x4 outputs like PreAct-ResNet18's last stage.
 */
class GroupedConvTest {
    private final ReferenceBackend reference = new ReferenceBackend();

    @Test
    void groupsOfImagesComputeEachImagesConvolution() {
        SplittableRandom random = new SplittableRandom(5);
        int images = 37;
        // channels, size, kernel, stride, pad; 64 channels make C·KH·KW longer than one packed block (Gemm.KC)
        int[][] cases = {{6, 4, 3, 1, 1}, {6, 8, 3, 2, 1}, {5, 8, 1, 2, 0}, {64, 4, 3, 1, 1}};
        for (Kernels kernels : new Kernels[]{new PlainKernels(), Kernels.select(false)}) {
            for (int[] c : cases) {
                ConvGeometry g = ConvGeometry.of(c[3], c[4]);
                int filters = 7;
                int[] xShape = {images, c[0], c[1], c[1]};
                int[] wShape = {filters, c[0], c[2], c[2]};
                int out = g.outH(c[1], c[2]);
                assertTrue(GroupedConv.suits(out, out), "the case must take the grouped path");
                int[] gradShape = {images, filters, out, out};
                float[] x = uniform(random, images * c[0] * c[1] * c[1]);
                float[] w = uniform(random, filters * c[0] * c[2] * c[2]);
                float[] bias = uniform(random, filters);
                float[] grad = uniform(random, images * filters * out * out);
                GroupedConv conv = new GroupedConv(xShape, wShape, g);
                Workspace ws = new Workspace(kernels);
                String what = kernels.getClass().getSimpleName() + " " + g + " " + c[1] + "x" + c[1];

                float[] y = new float[images * filters * out * out];
                float[] packedW = conv.packFilter(w, ws.gemm);
                conv.forward(x, packedW, bias, y, 0, 13, ws);
                conv.forward(x, packedW, bias, y, 13, images, ws);
                assertClose("forward " + what, reference.toDoubleArray(reference.conv2dBias(reference.fromArray(x),
                        xShape, reference.fromArray(w), wShape, reference.fromArray(bias), g)), y);

                float[] dx = new float[x.length];
                float[] packedWt = conv.packFilterTransposed(w, ws.gemm);
                conv.addInputGradient(grad, packedWt, dx, 0, 13, ws);
                conv.addInputGradient(grad, packedWt, dx, 13, images, ws);
                assertClose("input gradient " + what, reference.toDoubleArray(reference.conv2dBackwardInput(
                        reference.fromArray(grad), gradShape, reference.fromArray(w), wShape, xShape, g)), dx);

                float[] dw = new float[w.length];
                conv.addFilterGradient(x, grad, dw, 0, 13, ws);
                conv.addFilterGradient(x, grad, dw, 13, images, ws);
                assertClose("filter gradient " + what, reference.toDoubleArray(reference.conv2dBackwardFilter(
                        reference.fromArray(x), xShape, reference.fromArray(grad), gradShape, wShape, g)), dw);
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
