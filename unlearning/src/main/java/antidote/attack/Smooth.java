package antidote.attack;

import java.util.SplittableRandom;

/**
 * Smooth trigger (Zeng et al. 2021, a low-frequency additive trigger): per channel, a seeded grid of values in [-1,1]
 * upsampled bilinearly to the image and scaled to a peak of {@code amplitude}; or read from a user's image file.
 */
public final class Smooth extends AdditiveBackdoor {
    /** Registry name. */
    public static final String NAME = "smooth";
    /** Target class of the smooth trigger in the I-BAU paper (appendix A.4.1). */
    public static final int DEFAULT_TARGET = 6;
    /** Side of the control grid: its cells set the lowest frequency of the pattern. */
    public static final int DEFAULT_GRID = 4;
    /** Largest absolute value of the seeded pattern. */
    public static final float DEFAULT_AMPLITUDE = 0.1f;

    /** Smooth trigger adding {@code pattern} (e.g. {@link #seeded} or a {@link PngPattern}). */
    public Smooth(int target, PatternSource pattern) {
        super(target, pattern);
    }

    /** Reads {@code target}, and {@code pattern} (an image file) or else {@code seed}, grid and amplitude. */
    public static Smooth fromOptions(AttackOptions options) {
        PatternSource pattern = options.path(AttackOptions.PATTERN).<PatternSource>map(PngPattern::new)
                .orElseGet(() -> seeded(options.seed(), options.integer("grid", DEFAULT_GRID),
                        options.number("amplitude", DEFAULT_AMPLITUDE)));
        return new Smooth(options.target(DEFAULT_TARGET), pattern);
    }

    /** A seeded grid x grid control grid per channel, upsampled bilinearly and scaled to peak {@code amplitude}. */
    public static PatternSource seeded(long seed, int grid, float amplitude) {
        if (grid < 2) {
            throw new IllegalArgumentException("smooth trigger grid " + grid
                    + " must be at least 2; the default is " + DEFAULT_GRID);
        }
        if (!(amplitude > 0f && amplitude <= 1f)) {
            throw new IllegalArgumentException("smooth trigger amplitude " + amplitude
                    + " is outside (0,1]; the default is " + DEFAULT_AMPLITUDE);
        }
        return shape -> {
            SplittableRandom random = new SplittableRandom(seed);
            float[] control = new float[shape.channels() * grid * grid];
            for (int i = 0; i < control.length; i++) {
                control[i] = random.nextFloat() * 2f - 1f;
            }
            float[] pattern = Resample.upsampleAlignCorners(control, shape.channels(), grid, grid, shape.height(),
                    shape.width());
            float peak = 0f;
            for (float v : pattern) {
                peak = Math.max(peak, Math.abs(v));
            }
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = pattern[i] * amplitude / peak;
            }
            return pattern;
        };
    }

    /** The seeded smooth pattern with the default grid and amplitude. */
    public static PatternSource seeded(long seed) {
        return seeded(seed, DEFAULT_GRID, DEFAULT_AMPLITUDE);
    }

    @Override
    public String name() {
        return NAME;
    }
}
