package antidote.nn.layer;

import antidote.grad.Autodiff;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Dropout statistically (masks cannot match PyTorch's bit for bit), its gradient, eval mode and seeding. */
class DropoutTest {
    private static final int N = 200_000;

    @Test
    void trainingZeroesAFractionPAndScalesTheRest() {
        double p = 0.3;
        float[] y = new Dropout(p, new SplittableRandom(1)).forward(Tensor.ones(N)).toFloatArray();
        int zeros = 0;
        double sum = 0;
        for (float v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals((float) (1 / (1 - p)), v, 1e-6f);
            }
            sum += v;
        }
        double sigma = Math.sqrt(p * (1 - p) / N);
        assertEquals(p, zeros / (double) N, 6 * sigma, "share of zeros");
        assertEquals(1.0, sum / N, 6 * sigma / (1 - p), "the mean is preserved");
    }

    @Test
    void gradientIsTheMask() {
        Dropout dropout = new Dropout(0.5, new SplittableRandom(2));
        Tensor x = Tensor.randn(new SplittableRandom(3), 1000).withGrad();
        Tensor y = dropout.forward(x);
        Tensor dx = Autodiff.grad(y.sum(), List.of(x)).get(0);
        float[] yv = y.toFloatArray();
        float[] xv = x.toFloatArray();
        float[] g = dx.toFloatArray();
        for (int i = 0; i < g.length; i++) {
            assertEquals(yv[i], g[i] * xv[i], 1e-5f);
        }
    }

    @Test
    void evalIsTheIdentityAndSeedsReproduceMasks() {
        Tensor x = Tensor.ones(1000);
        assertSame(x, new Dropout(0.4, new SplittableRandom(1)).eval().forward(x));
        Dropout a = new Dropout(0.4, new SplittableRandom(9));
        Dropout b = new Dropout(0.4, new SplittableRandom(9));
        float[] first = a.forward(x).toFloatArray();
        assertArrayEquals(first, b.forward(x).toFloatArray());
        assertFalse(java.util.Arrays.equals(first, a.forward(x).toFloatArray()), "each call draws a new mask");
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0, new SplittableRandom(1)));
    }
}
