package antidote.backend.cpu;

import antidote.backend.ConvGeometry;
import antidote.check.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each of the three layouts of {@link ImplicitConv}, forced on shapes where the backend would pick another,
 * against the reference convolution with a bias on both kernel paths; and the layout the rule picks for SmallVgg's layers.
 */
class ImplicitConvTest {
    private final ReferenceBackend reference = new ReferenceBackend();

    @Test
    void everyLayoutComputesTheSameConvolution() {
        SplittableRandom random = new SplittableRandom(3);
        // [N, C, H, W], filters, kernel, padding: rows narrower and wider than a panel, odd sizes, 7x7 (tiles of
        // 7 outputs), and more taps than one block of k (60·9 = 540), read in place in two blocks.
        int[][] cases = {{2, 3, 7, 7, 5, 3, 1}, {1, 4, 6, 19, 9, 3, 1}, {2, 2, 5, 5, 33, 2, 0}, {1, 3, 9, 4, 2, 3, 2},
                {1, 60, 5, 6, 9, 3, 1}};
        for (Kernels kernels : new Kernels[]{new PlainKernels(), Kernels.select(false)}) {
            for (int[] c : cases) {
                int[] xShape = {c[0], c[1], c[2], c[3]};
                int[] wShape = {c[4], c[1], c[5], c[5]};
                ConvGeometry g = ConvGeometry.of(1, c[6]);
                float[] x = uniform(random, c[0] * c[1] * c[2] * c[3]);
                float[] w = uniform(random, c[4] * c[1] * c[5] * c[5]);
                float[] bias = uniform(random, c[4]);
                double[] expected = reference.toDoubleArray(reference.conv2dBias(reference.fromArray(x), xShape,
                        reference.fromArray(w), wShape, reference.fromArray(bias), g));
                ImplicitConv conv = new ImplicitConv(xShape, c[5], c[5], g);
                int imageSize = c[1] * c[2] * c[3];
                int outputSize = expected.length / c[0];
                for (ImplicitConv.Strategy strategy : ImplicitConv.Strategy.values()) {
                    Workspace ws = new Workspace(kernels);
                    float[] operand = conv.filterOperand(strategy, w, c[4], ws.gemm);
                    float[] out = new float[expected.length];
                    for (int n = 0; n < c[0]; n++) {
                        conv.forward(strategy, x, n * imageSize, operand, c[4], bias, ws, kernels, out,
                                n * outputSize);
                    }
                    for (int i = 0; i < out.length; i++) {
                        assertEquals(expected[i], out[i], 1e-5 * (Math.abs(expected[i]) + conv.taps()),
                                strategy + " " + kernels.getClass().getSimpleName() + " case " + i);
                    }
                }
            }
        }
    }

    @Test
    void theRulePicksPositionsForWideRowsAndOutputsForNarrowOnes() {
        Kernels kernels = Kernels.select(false);
        assertEquals(ImplicitConv.Strategy.FILTERS_BY_POSITIONS, strategy(32, 28, 32, kernels));
        assertEquals(ImplicitConv.Strategy.FILTERS_BY_POSITIONS, strategy(32, 32, 32, kernels));
        // 14 wide: two tiles of 7 outputs fill every lane; 14 of every 16 positions are outputs.
        assertEquals(ImplicitConv.Strategy.OUTPUTS_BY_FILTERS, strategy(64, 14, 64, kernels));
        assertEquals(ImplicitConv.Strategy.OUTPUTS_BY_FILTERS, strategy(128, 7, 128, kernels));
        assertEquals(ImplicitConv.Strategy.OUTPUTS_BY_FILTERS, strategy(64, 8, 128, kernels));
        // The input gradient of a 1-channel first layer has one "filter"; a 1-channel forward has 9 taps.
        assertEquals(ImplicitConv.Strategy.DIRECT, strategy(32, 28, 1, kernels));
        assertEquals(ImplicitConv.Strategy.DIRECT, strategy(1, 28, 32, kernels));
    }

    private static ImplicitConv.Strategy strategy(int channels, int size, int filters, Kernels kernels) {
        return new ImplicitConv(new int[]{1, channels, size, size}, 3, 3, ConvGeometry.of(1, 1))
                .strategy(filters, kernels);
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }
}
