package antidote.nn.golden;

import antidote.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The golden comparison: |actual − expected| <= 1e-5·|expected| + 1e-10·max|expected| + 1e-12 per element:
 * relative 1e-5, with floors for elements near zero. The absolute 1e-12 covers values that are zero in exact
 * arithmetic and float64 rounding noise (~1e-14) in both frameworks, such as the gradient of a convolution
 * bias followed by training-mode BatchNorm.
 */
final class Close {
    static final double RELATIVE = 1e-5;
    static final double NOISE = 1e-12;

    private Close() {
    }

    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(what, expected.toDoubleArray(), actual.toDoubleArray());
    }

    static void assertClose(String what, double[] expected, double[] actual) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double tolerance = RELATIVE * Math.abs(expected[i]) + 1e-10 * scale + NOISE;
            if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
                fail(what + ": element " + i + " is " + actual[i] + ", PyTorch gives " + expected[i]
                        + " (tolerance " + tolerance + ")");
            }
        }
    }

    static void assertClose(String what, double expected, double actual, double scale) {
        double tolerance = RELATIVE * Math.max(Math.abs(expected), scale) + NOISE;
        if (!(Math.abs(actual - expected) <= tolerance)) {
            fail(what + ": " + actual + ", PyTorch gives " + expected + " (tolerance " + tolerance + ")");
        }
    }
}
