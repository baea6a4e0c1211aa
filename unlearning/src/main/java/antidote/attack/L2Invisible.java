package antidote.attack;

import java.util.SplittableRandom;

/**
 * An l2-norm invisible trigger (after Li et al. 2020): a dense seeded Gaussian pattern over the whole image, scaled
 * to a small L2 norm, added then clipped; or read from a user's image file.
 */
public final class L2Invisible extends AdditiveBackdoor {
    /** Registry name. */
    public static final String NAME = "l2";
    /** Target class of the l2 invisible trigger in the I-BAU paper (appendix A.4.1). */
    public static final int DEFAULT_TARGET = 0;
    /** L2 norm of the seeded pattern over the whole image, in [0,1] pixel units (about 9/255 RMS at 3x32x32). */
    public static final float DEFAULT_NORM = 2f;

    /** The l2 trigger adding {@code pattern} (e.g. {@link #seeded} or a {@link PngPattern}). */
    public L2Invisible(int target, PatternSource pattern) {
        super(target, pattern);
    }

    /** Reads {@code target}, and {@code pattern} (an image file) or else {@code seed} and {@code norm}. */
    public static L2Invisible fromOptions(AttackOptions options) {
        PatternSource pattern = options.path(AttackOptions.PATTERN).<PatternSource>map(PngPattern::new)
                .orElseGet(() -> seeded(options.seed(), options.number("norm", DEFAULT_NORM)));
        return new L2Invisible(options.target(DEFAULT_TARGET), pattern);
    }

    /** Independent standard normal values, drawn from {@code seed}, scaled to L2 norm {@code norm}. */
    public static PatternSource seeded(long seed, float norm) {
        if (!(norm > 0f && norm < Float.MAX_VALUE)) {
            throw new IllegalArgumentException("l2 trigger norm " + norm + " must be a positive number; the default is "
                    + DEFAULT_NORM);
        }
        return shape -> {
            SplittableRandom random = new SplittableRandom(seed);
            double[] gaussian = new double[shape.size()];
            double sumSquares = 0;
            for (int i = 0; i < gaussian.length; i++) {
                gaussian[i] = random.nextGaussian();
                sumSquares += gaussian[i] * gaussian[i];
            }
            double scale = norm / Math.sqrt(sumSquares);
            float[] pattern = new float[gaussian.length];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = (float) (gaussian[i] * scale);
            }
            return pattern;
        };
    }

    /** The seeded pattern with the default norm. */
    public static PatternSource seeded(long seed) {
        return seeded(seed, DEFAULT_NORM);
    }

    @Override
    public String name() {
        return NAME;
    }
}
