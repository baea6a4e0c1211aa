package antidote.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SIMD ReLU gives the plain loop's bits for every value (NaN, −0, infinities) and every range start and end. */
class ReluKernelTest {
    @Test
    void vectorReluMatchesThePlainLoopOnEveryRange() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] special = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                -Float.MIN_VALUE};
        float[] x = new float[301];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 5 == 0 ? special[rng.nextInt(special.length)] : (float) rng.nextGaussian();
        }
        Kernels vector = new VectorKernels();
        Kernels plain = new PlainKernels();
        for (int from = 0; from < 40; from += 3) {
            for (int to = from; to <= x.length; to += 17) {
                float[] expected = new float[x.length];
                float[] actual = new float[x.length];
                plain.relu(x, expected, from, to);
                vector.relu(x, actual, from, to);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                            "relu(" + x[i] + ") at " + i + " in [" + from + ", " + to + ")");
                }
            }
        }
    }
}
