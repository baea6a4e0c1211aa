package antidote.attack;

/** Element-wise helpers on CHW images shared by the attacks. */
final class Pixels {
    private Pixels() {
    }

    /** {@code v} limited to [0,1]. */
    static float clip(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }

    /** Clips every value of {@code image} to [0,1] in place and returns it. */
    static float[] clipInPlace(float[] image) {
        for (int i = 0; i < image.length; i++) {
            image[i] = clip(image[i]);
        }
        return image;
    }

    /** A new image {@code clip(chw + pattern)}; both arrays have the same length. */
    static float[] addClipped(float[] chw, float[] pattern) {
        float[] out = new float[chw.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = clip(chw[i] + pattern[i]);
        }
        return out;
    }
}
