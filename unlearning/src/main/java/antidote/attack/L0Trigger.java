package antidote.attack;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An l0-style sparse trigger (after Li et al. 2020): a few pixels of the last row replaced by fixed colours. The
 * columns (distinct) and the colours (uniform in [0,1) per channel) are drawn from a seed, once per image width.
 */
public final class L0Trigger implements Backdoor {
    /** Registry name. */
    public static final String NAME = "l0";
    /** Target class of the l0 invisible trigger in the I-BAU paper (appendix A.4.1). */
    public static final int DEFAULT_TARGET = 0;
    /** Number of trigger pixels. */
    public static final int DEFAULT_PIXELS = 5;

    /** Index of the seed stream the colours are drawn from (the columns use the seed itself). */
    private static final int COLOUR_STREAM = 0;

    private final int target;
    private final int pixels;
    private final long seed;

    /** Replaces {@code pixels} pixels of the last row, chosen with {@code seed}, and sends images to {@code target}. */
    public L0Trigger(int target, int pixels, long seed) {
        if (pixels < 1) {
            throw new IllegalArgumentException("l0 trigger needs at least 1 pixel, got " + pixels + "; the default is "
                    + DEFAULT_PIXELS);
        }
        this.target = Labels.requireTarget(target);
        this.pixels = pixels;
        this.seed = seed;
    }

    /** Reads {@code target}, {@code pixels} and {@code seed}. */
    public static L0Trigger fromOptions(AttackOptions options) {
        return new L0Trigger(options.target(DEFAULT_TARGET), options.integer("pixels", DEFAULT_PIXELS),
                options.seed());
    }

    /** The target class. */
    public int target() {
        return target;
    }

    /** The columns of the last row that the trigger replaces in images {@code width} pixels wide, in drawing order. */
    public int[] columns(int width) {
        if (pixels > width) {
            throw new IllegalArgumentException("l0 trigger has " + pixels + " pixels but the last row of these images"
                    + " has only " + width + "; use at most " + width + " pixels");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[width];
        for (int i = 0; i < width; i++) {
            order[i] = i;
        }
        for (int i = 0; i < pixels; i++) {
            int j = i + random.nextInt(width - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return Arrays.copyOf(order, pixels);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
        shape.check(chw);
        int[] columns = columns(shape.width());
        SplittableRandom colours = new SplittableRandom(Seeds.derive(seed, COLOUR_STREAM));
        float[] out = Pixels.clipInPlace(chw.clone());
        int lastRow = shape.height() - 1;
        for (int col : columns) {
            for (int c = 0; c < shape.channels(); c++) {
                out[shape.index(c, lastRow, col)] = colours.nextFloat();
            }
        }
        return out;
    }

    @Override
    public int poisonedLabel(int trueLabel, int numClasses) {
        return Labels.allToOne(target, trueLabel, numClasses);
    }
}
