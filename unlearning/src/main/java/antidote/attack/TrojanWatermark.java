package antidote.attack;

import java.util.SplittableRandom;

/**
 * Trojan watermark (Liu et al. 2018): a sparse additive pattern over the whole image, drawn from a seed (a random set
 * of pixels brightened equally on every channel) or read from a user's full-size image file.
 */
public final class TrojanWatermark extends AdditiveBackdoor {
    /** Registry name. */
    public static final String NAME = "trojan-wm";
    /** Target class of Trojan watermark in the I-BAU paper (appendix A.4.1). */
    public static final int DEFAULT_TARGET = 2;
    /** Share of pixels the seeded watermark covers. */
    public static final float DEFAULT_DENSITY = 0.1f;
    /** Value the seeded watermark adds to each pixel it covers. */
    public static final float DEFAULT_INTENSITY = 0.5f;

    /** Trojan watermark adding {@code pattern} (e.g. {@link #seeded} or a {@link PngPattern}). */
    public TrojanWatermark(int target, PatternSource pattern) {
        super(target, pattern);
    }

    /** Reads {@code target}, and {@code pattern} (an image file) or else {@code seed}, density and intensity. */
    public static TrojanWatermark fromOptions(AttackOptions options) {
        PatternSource pattern = options.path(AttackOptions.PATTERN).<PatternSource>map(PngPattern::new)
                .orElseGet(() -> seeded(options.seed(), options.number("density", DEFAULT_DENSITY),
                        options.number("intensity", DEFAULT_INTENSITY)));
        return new TrojanWatermark(options.target(DEFAULT_TARGET), pattern);
    }

    /** Each pixel is covered with probability {@code density} and gets {@code intensity} added on every channel. */
    public static PatternSource seeded(long seed, float density, float intensity) {
        if (!(density > 0f && density <= 1f)) {
            throw new IllegalArgumentException("watermark density " + density + " is outside (0,1]; the default is "
                    + DEFAULT_DENSITY + " (a tenth of the pixels)");
        }
        if (!(intensity > 0f && intensity <= 1f)) {
            throw new IllegalArgumentException("watermark intensity " + intensity + " is outside (0,1]; the default is "
                    + DEFAULT_INTENSITY);
        }
        return shape -> {
            SplittableRandom random = new SplittableRandom(seed);
            int plane = shape.planeSize();
            float[] pattern = new float[shape.size()];
            for (int p = 0; p < plane; p++) {
                if (random.nextFloat() < density) {
                    for (int c = 0; c < shape.channels(); c++) {
                        pattern[c * plane + p] = intensity;
                    }
                }
            }
            return pattern;
        };
    }

    /** The seeded watermark with the default density and intensity. */
    public static PatternSource seeded(long seed) {
        return seeded(seed, DEFAULT_DENSITY, DEFAULT_INTENSITY);
    }

    @Override
    public String name() {
        return NAME;
    }
}
