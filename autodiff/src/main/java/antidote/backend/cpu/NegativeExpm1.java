package antidote.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * eˣ − 1 for x ≤ 0 in float32 (ELU's negative side, within 1 ulp), as a SIMD form and a scalar twin that give
 * the same bits. Written with IEEE add, multiply and fma only because {@code lanewise(EXPM1)} is not
 * reproducible: the JIT-compiled form (Intel's SVML) and the interpreted one ({@code Math.expm1}) round
 * differently, so a training run's weights depended on when C2 compiled the kernel. The scalar twin serves the
 * loop tails, so an element's result does not depend on where a thread's chunk starts either.
 * <p>
 * Method: k = round(x / ln 2), r = x − k·ln 2 (ln 2 split in two for exactness, |r| ≤ ln 2 / 2),
 * eʳ − 1 by its Taylor series to r⁸ (truncation below 1e-9 relative), then eˣ − 1 = 2ᵏ·(eʳ − 1) + (2ᵏ − 1).
 */
final class NegativeExpm1 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Below this eˣ − 1 rounds to −1 in float32; clamping keeps 2ᵏ a normal number. */
    private static final float LOWEST = -30f;
    private static final float INV_LN2 = 1.44269504f;
    private static final float LN2_HI = 0.693147182f;
    private static final float LN2_LO = -1.90465421e-9f;
    /**
     * 1.5·2²³: adding it to a float of magnitude below 2²² rounds it to the nearest integer k, held in the low
     * bits: the sum's bit pattern is ROUND's plus k, so 2ᵏ's exponent field is that pattern minus this offset.
     */
    private static final float ROUND = 12582912f;
    private static final int BIAS_OFFSET = Float.floatToRawIntBits(ROUND) - 127;
    private static final float C8 = 1 / 40320f;
    private static final float C7 = 1 / 5040f;
    private static final float C6 = 1 / 720f;
    private static final float C5 = 1 / 120f;
    private static final float C4 = 1 / 24f;
    private static final float C3 = 1 / 6f;
    private static final float C2 = 1 / 2f;

    private NegativeExpm1() {
    }

    /** eˣ − 1 for min(x, 0). */
    static float of(float x) {
        float v = Math.min(Math.max(x, LOWEST), 0f);
        float shifted = v * INV_LN2 + ROUND;
        float k = shifted - ROUND;
        float r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, v));
        float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(C8, r, C7), r, C6), r, C5), r, C4), r, C3),
                r, C2);
        float expm1r = Math.fma(q, r * r, r);
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - BIAS_OFFSET) << 23);
        return Math.fma(scale, expm1r, scale - 1f);
    }

    /** eˣ − 1 for min(x, 0) in every lane, the same bits as {@link #of(float)}. */
    static FloatVector of(FloatVector x) {
        FloatVector v = x.max(LOWEST).min(0f);
        FloatVector shifted = v.mul(INV_LN2).add(ROUND);
        FloatVector k = shifted.sub(ROUND);
        FloatVector r = k.fma(constant(-LN2_LO), k.fma(constant(-LN2_HI), v));
        FloatVector q = constant(C8).fma(r, constant(C7)).fma(r, constant(C6)).fma(r, constant(C5))
                .fma(r, constant(C4)).fma(r, constant(C3)).fma(r, constant(C2));
        FloatVector expm1r = q.fma(r.mul(r), r);
        FloatVector scale = shifted.reinterpretAsInts().sub(BIAS_OFFSET).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return scale.fma(expm1r, scale.sub(1f));
    }

    private static FloatVector constant(float value) {
        return FloatVector.broadcast(S, value);
    }
}
