package antidote.nn.io;

/**
 * Conversions between float and the two 16-bit float formats of safetensors: IEEE half precision (F16: 1 sign,
 * 5 exponent, 10 fraction bits) and bfloat16 (BF16: the top 16 bits of a float). Narrowing rounds to nearest,
 * ties to even, as PyTorch's {@code .half()} and {@code .bfloat16()} do; NaN stays NaN.
 */
final class HalfFloats {
    private HalfFloats() {
    }

    /** The float whose {@code type} (F16 or BF16) encoding is {@code bits}. */
    static float widen(SafeDType type, short bits) {
        return type == SafeDType.F16 ? f16ToFloat(bits) : bf16ToFloat(bits);
    }

    /** The {@code type} (F16 or BF16) encoding of {@code value}, rounded to nearest even. */
    static short narrow(SafeDType type, float value) {
        return type == SafeDType.F16 ? floatToF16(value) : floatToBf16(value);
    }

    /** The float whose F16 encoding is {@code bits} (exact: every half is a float). */
    static float f16ToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int fraction = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (fraction << 13));
        }
        if (exponent == 0) {
            // Subnormal (or zero): fraction · 2^-24, exact in float.
            float magnitude = fraction * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (fraction << 13));
    }

    /** The F16 encoding of {@code value}, rounded to nearest even; too large finite values become infinite. */
    static short floatToF16(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exponent = (f >>> 23) & 0xFF;
        int fraction = f & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (fraction != 0 ? 0x200 | (fraction >>> 13) : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal: rounds to zero
            }
            // Subnormal half: shift the full significand (with its implicit 1) right, rounding to even.
            int significand = fraction | 0x800000;
            int shift = 14 - e;
            return (short) (sign | roundShift(significand, shift));
        }
        // Normal: dropping 13 fraction bits may carry into the exponent, which is still correct (up to infinity).
        return (short) (sign | roundShift((e << 23 | fraction), 13));
    }

    /** The float whose BF16 encoding is {@code bits} (exact). */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The BF16 encoding of {@code value}, rounded to nearest even. */
    static short floatToBf16(float value) {
        int f = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((f >>> 16) | 0x40); // keep NaN a (quiet) NaN after dropping the low bits
        }
        return (short) (roundShift(f & 0x7FFFFFFF, 16) | ((f >>> 16) & 0x8000));
    }

    /** {@code value >>> shift} rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return rest > half || (rest == half && (kept & 1) == 1) ? kept + 1 : kept;
    }
}
