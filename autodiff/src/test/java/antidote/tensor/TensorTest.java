package antidote.tensor;

import antidote.check.ReferenceBackend;
import antidote.core.DType;
import antidote.core.Device;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tensor creation, values of the composites, printing, and error messages. */
class TensorTest {
    private static final Device REF = ReferenceBackend.DEVICE;

    private static Tensor t(double[] v, int... shape) {
        return Tensor.fromArray(v, Shape.of(shape), REF);
    }

    @Test
    void factoriesAndAccessors() {
        Tensor x = t(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(Shape.of(2, 3), x.shape());
        assertEquals(DType.FLOAT64, x.dtype());
        assertEquals(6, x.size());
        assertEquals(3.0, x.slice(1, 2, 3).slice(0, 0, 1).item());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, x.to(DType.FLOAT32).toFloatArray());
        Tensor filled = Tensor.full(Shape.of(2), 7, DType.FLOAT32, REF);
        assertArrayEquals(new double[]{7, 7}, filled.toDoubleArray());
        assertThrows(ShapeException.class, () -> t(new double[]{1, 2, 3}, 2, 2));
    }

    @Test
    void seededRandomIsReproducible() {
        SplittableRandom a = new SplittableRandom(3);
        SplittableRandom b = new SplittableRandom(3);
        double[] x = new double[5];
        double[] y = new double[5];
        for (int i = 0; i < 5; i++) {
            x[i] = a.nextGaussian();
            y[i] = b.nextGaussian();
        }
        assertArrayEquals(x, y);
    }

    @Test
    void immutability() {
        Tensor x = t(new double[]{1, 2}, 2);
        Tensor y = x.add(1.0);
        assertNotSame(x, y);
        assertArrayEquals(new double[]{1, 2}, x.toDoubleArray());
    }

    @Test
    void softmaxCrossEntropyAndLogSoftmaxAreStable() {
        Tensor logits = t(new double[]{1000, 0, -1000, 1, 2, 3}, 2, 3);
        double[] sm = logits.softmax(1).toDoubleArray();
        assertEquals(1.0, sm[0], 1e-12);
        assertEquals(1.0, sm[3] + sm[4] + sm[5], 1e-12);
        double expected = -(0 + Math.log(Math.exp(2) / (Math.exp(1) + Math.exp(2) + Math.exp(3)))) / 2;
        assertEquals(expected, logits.crossEntropy(new int[]{0, 1}).item(), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> logits.crossEntropy(new int[]{0, 3}));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
    }

    @Test
    void reductionsPoolingAndMovement() {
        Tensor x = t(new double[]{1, 5, 3, 2, 8, 0, 4, 4, 9, 1, 2, 7, 6, 3, 0, 5}, 1, 1, 4, 4);
        assertArrayEquals(new double[]{8, 4, 9, 7}, x.maxPool2d(2, 2, 0).toDoubleArray());
        assertArrayEquals(new double[]{3.5, 3.25, 4.75, 3.5}, x.avgPool2d(2, 2, 0).toDoubleArray());
        Tensor m = t(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new double[]{5, 7, 9}, m.sum(false, 0).toDoubleArray());
        assertArrayEquals(new double[]{2, 5}, m.mean(false, 1).toDoubleArray());
        assertArrayEquals(new double[]{3, 6}, m.max(false, 1).toDoubleArray());
        assertArrayEquals(new int[]{2, 2}, m.argMax(1));
        assertArrayEquals(new double[]{1, 4, 2, 5, 3, 6}, m.transpose(0, 1).toDoubleArray());
        assertArrayEquals(new double[]{4, 2, 6}, m.gather(0, new int[]{1, 0, 1}, Shape.of(1, 3)).toDoubleArray());
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6, 1, 2, 3},
                Tensor.concat(0, List.of(m, m.slice(0, 0, 1))).toDoubleArray());
        assertArrayEquals(new double[]{0, 0, 0, 1, 2, 3}, m.slice(0, 0, 1).pad(new int[]{1, 0}, new int[]{0, 0}, 0)
                .toDoubleArray());
        assertArrayEquals(new double[]{-1, 0, 1}, t(new double[]{-3, 0, 2}, 3).sign().toDoubleArray());
        assertArrayEquals(new double[]{0, 0.5, 1}, t(new double[]{-3, 0.5, 2}, 3).clamp(0, 1).toDoubleArray());
    }

    @Test
    void batchNormNormalisesPerChannel() {
        Tensor x = t(new double[]{1, 3, 10, 30, 5, 7, 50, 70}, 2, 2, 2, 1);
        double[] y = x.batchNormTrain(null, null, 0).toDoubleArray();
        // channel 0 holds 1, 3, 5, 7: mean 4, biased variance 5.
        assertEquals((1 - 4) / Math.sqrt(5), y[0], 1e-12);
        Tensor mean = t(new double[]{4, 40}, 2);
        Tensor var = t(new double[]{5, 500}, 2);
        assertArrayEquals(y, x.batchNormEval(mean, var, null, null, 0).toDoubleArray(), 1e-12);
    }

    @Test
    void errorsNameTheOpAndBothShapes() {
        Tensor a = t(new double[]{1, 2, 3}, 3);
        Tensor b = t(new double[]{1, 2}, 2);
        ShapeException e = assertThrows(ShapeException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[3]") && e.getMessage().contains("[2]"),
                e.getMessage());
        ShapeException m = assertThrows(ShapeException.class, () -> t(new double[6], 2, 3).matmul(t(new double[6], 2, 3)));
        assertTrue(m.getMessage().contains("matmul") && m.getMessage().contains("[2, 3]"), m.getMessage());
        ShapeException c = assertThrows(ShapeException.class,
                () -> t(new double[16], 1, 1, 4, 4).conv2d(t(new double[18], 1, 2, 3, 3), null, 1, 0));
        assertTrue(c.getMessage().contains("conv2d") && c.getMessage().contains("[1, 2, 3, 3]"), c.getMessage());
        ShapeException bias = assertThrows(ShapeException.class,
                () -> t(new double[16], 1, 1, 4, 4).conv2d(t(new double[18], 2, 1, 3, 3), t(new double[3], 3), 1, 0));
        assertTrue(bias.getMessage().contains("bias") && bias.getMessage().contains("[2]")
                && bias.getMessage().contains("[3]"), bias.getMessage());
        ShapeException affine = assertThrows(ShapeException.class,
                () -> t(new double[8], 2, 2, 2).channelAffine(t(new double[3], 3), null));
        assertTrue(affine.getMessage().contains("scale [2]") && affine.getMessage().contains("[3]"),
                affine.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> a.add(a.to(DType.FLOAT32)));
        assertTrue(d.getMessage().contains("FLOAT32"), d.getMessage());
    }

    @Test
    void toStringIsReadable() {
        String s = t(new double[]{1, 2.5, 3, 4}, 2, 2).toString();
        assertTrue(s.startsWith("Tensor[2, 2] float64 on reference"), s);
        assertTrue(s.contains("[[1, 2.500],"), s);
        String big = t(new double[100], 100).toString();
        assertTrue(big.contains("..."), big);
    }

    @Test
    void dropoutDrawsTheMaskThatNextDoubleWouldDraw() {
        for (double p : new double[]{0.3, 0.4, 0.5, 1.0 / 3}) {
            Tensor ones = Tensor.fromArray(new float[4099], 4099).add(1);
            float[] y = ones.dropout(p, new SplittableRandom(11)).toFloatArray();
            SplittableRandom same = new SplittableRandom(11);
            int dropped = 0;
            for (int i = 0; i < y.length; i++) {
                float expected = same.nextDouble() < p ? 0f : (float) (1 / (1 - p));
                assertEquals(expected, y[i], "element " + i + " at p = " + p);
                dropped += y[i] == 0 ? 1 : 0;
            }
            assertEquals(p, dropped / (double) y.length, 0.03);
        }
    }
}
