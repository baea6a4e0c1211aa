package antidote.nn.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every F16 and BF16 encoding widens to a float that narrows back to itself; ties round to even. */
class HalfFloatsTest {

    @Test
    void everyHalfRoundTrips() {
        assertEveryEncodingRoundTrips(SafeDType.F16);
    }

    @Test
    void everyBfloat16RoundTrips() {
        assertEveryEncodingRoundTrips(SafeDType.BF16);
    }

    private static void assertEveryEncodingRoundTrips(SafeDType type) {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.widen(type, (short) bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.widen(type, HalfFloats.narrow(type, f))), "NaN stays NaN");
            } else {
                assertEquals(bits, HalfFloats.narrow(type, f) & 0xFFFF, type + " " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void tiesGoToEven() {
        assertEquals(1.0f, HalfFloats.f16ToFloat(HalfFloats.floatToF16(1 + 0x1p-11f)), "halfway above 1: down to even");
        assertEquals(1 + 0x1p-9f, HalfFloats.f16ToFloat(HalfFloats.floatToF16(1 + 3 * 0x1p-11f)), "halfway: up to even");
        assertEquals(0f, HalfFloats.f16ToFloat(HalfFloats.floatToF16(0x1p-25f)), "half the smallest subnormal: zero");
        assertEquals(1.0f, HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1 + 0x1p-8f)), "BF16 halfway: down to even");
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat(HalfFloats.floatToF16(65520f)),
                "rounds past the largest half");
    }
}
