package antidote.attack;

import java.util.SplittableRandom;

/**
 * Trojan square (Liu et al. 2018): an additive pattern inside a square, rows/cols 21..29 (9x9) of a 32x32 image and
 * the same fractions of other sizes; the pattern is drawn from a seed or read from a user's full-size image file.
 */
public final class TrojanSquare extends AdditiveBackdoor {
    /** Registry name. */
    public static final String NAME = "trojan-sq";
    /** Target class of Trojan square in the I-BAU paper (appendix A.4.1). */
    public static final int DEFAULT_TARGET = 2;
    /** First row/column of the square on the 32x32 reference grid. */
    static final int FIRST = 21;
    /** One past the last row/column of the square on the 32x32 reference grid. */
    static final int END = 30;
    private static final int REFERENCE = 32;

    /** Trojan square adding {@code pattern} (e.g. {@link #seeded} or a {@link PngPattern}). */
    public TrojanSquare(int target, PatternSource pattern) {
        super(target, pattern);
    }

    /** Reads {@code target}, and {@code pattern} (an image file) or else {@code seed}. */
    public static TrojanSquare fromOptions(AttackOptions options) {
        PatternSource pattern = options.path(AttackOptions.PATTERN).<PatternSource>map(PngPattern::new)
                .orElseGet(() -> seeded(options.seed()));
        return new TrojanSquare(options.target(DEFAULT_TARGET), pattern);
    }

    /** Uniform values in [0,1) on every channel inside the square, zero outside, drawn from {@code seed}. */
    public static PatternSource seeded(long seed) {
        return shape -> {
            SplittableRandom random = new SplittableRandom(seed);
            int top = first(shape.height());
            int bottom = end(shape.height());
            int left = first(shape.width());
            int right = end(shape.width());
            float[] pattern = new float[shape.size()];
            for (int c = 0; c < shape.channels(); c++) {
                for (int r = top; r < bottom; r++) {
                    for (int x = left; x < right; x++) {
                        pattern[shape.index(c, r, x)] = random.nextFloat();
                    }
                }
            }
            return pattern;
        };
    }

    /** First row (or column) of the square in an image {@code extent} pixels high (or wide): floor(21 extent / 32). */
    static int first(int extent) {
        return FIRST * extent / REFERENCE;
    }

    /** One past the last row (or column): floor(30 * extent / 32), and at least one pixel after {@link #first}. */
    static int end(int extent) {
        return Math.max(first(extent) + 1, END * extent / REFERENCE);
    }

    @Override
    public String name() {
        return NAME;
    }
}
