package antidote.backend.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SIMD ELU gives an element the same bits wherever it lies (in a vector or in a loop's scalar tail, that is
 * wherever a thread's chunk starts) and is accurate: its eˣ − 1 is within 1 ulp of {@code Math.expm1}.
 */
class EluReproducibilityTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    private static float[] inputs(int n) {
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            // Mostly the range ELU sees, plus tiny and very negative values and exact powers of two.
            x[i] = switch (i % 4) {
                case 0 -> (float) rng.nextDouble(-8, 2);
                case 1 -> (float) -Math.pow(10, rng.nextDouble(-9, 0));
                case 2 -> (float) rng.nextDouble(-100, 0);
                default -> -Math.scalb(1f, rng.nextInt(-30, 6));
            };
        }
        return x;
    }

    @Test
    void anElementGetsTheSameBitsInTheVectorBodyAndInTheScalarTail() {
        VectorKernels kernels = new VectorKernels();
        float[] x = inputs(4000);
        float[] whole = new float[x.length];
        kernels.elu(x, whole, 0, x.length, 0.7);
        // Run one element at a time starting at every offset of a vector: each lands in the tail once.
        for (int shift = 1; shift < L; shift++) {
            float[] shifted = new float[x.length];
            kernels.elu(x, shifted, 0, shift, 0.7);
            kernels.elu(x, shifted, shift, x.length, 0.7);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToIntBits(whole[i]), Float.floatToIntBits(shifted[i]),
                        "elu(" + x[i] + ") at index " + i + " with a chunk starting at " + shift);
            }
        }
    }

    @Test
    void theVectorAndScalarFormsAgreeAndAreWithinOneUlpOfExpm1() {
        float[] x = inputs(1 << 16);
        float[] lanes = new float[L];
        for (int i = 0; i + L <= x.length; i += L) {
            NegativeExpm1.of(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(lanes, 0);
            for (int lane = 0; lane < L; lane++) {
                float v = x[i + lane];
                float scalar = NegativeExpm1.of(v);
                assertEquals(Float.floatToIntBits(scalar), Float.floatToIntBits(lanes[lane]), "x = " + v);
                float exact = (float) Math.expm1(Math.min(v, 0f));
                assertTrue(Math.abs(scalar - exact) <= Math.ulp(exact), "x = " + v + ": " + scalar + " vs " + exact);
            }
        }
        assertEquals(-1f, NegativeExpm1.of(Float.NEGATIVE_INFINITY));
        assertEquals(0f, NegativeExpm1.of(0f));
        assertTrue(Float.isNaN(NegativeExpm1.of(Float.NaN)));
    }
}
