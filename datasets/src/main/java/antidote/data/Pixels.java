package antidote.data;

/** Conversions between uint8 pixel storage and float values in [0, 1]. */
public final class Pixels {
    private static final float[] TO_FLOAT = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            TO_FLOAT[v] = v / 255f;
        }
    }

    private Pixels() {
    }

    /** The value of one stored byte, as a float in [0, 1]. */
    public static float toFloat(byte value) {
        return TO_FLOAT[value & 0xFF];
    }

    /** Quantises {@code value} (nominally in [0, 1]) to a byte: round(value·255), clamped to [0, 255]. */
    public static byte toByte(float value) {
        if (!(value > 0f)) {
            return 0; // negative values and NaN
        }
        return (byte) Math.min(255, Math.round(value * 255f));
    }

    /** Converts {@code count} bytes from {@code src[srcOffset..]} into {@code dst[dstOffset..]} as floats in [0, 1]. */
    public static void toFloat(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = TO_FLOAT[src[srcOffset + i] & 0xFF];
        }
    }

    /** Quantises {@code count} floats from {@code src[srcOffset..]} into {@code dst[dstOffset..]}. */
    public static void toByte(float[] src, int srcOffset, byte[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = toByte(src[srcOffset + i]);
        }
    }
}
