package antidote.attack;

import java.util.Objects;

/** BadNets (Gu et al. 2017): a filled square (white 3x3 bottom-right by default) that sends every image to a target. */
public final class BadNets implements Backdoor {
    /** Registry name. */
    public static final String NAME = "badnets";
    /** Target class of BadNets in the I-BAU paper (appendix A.4.1). */
    public static final int DEFAULT_TARGET = 8;

    private final int target;
    private final SquarePatch patch;

    /** BadNets with {@code patch} as trigger and {@code target} as target class. */
    public BadNets(int target, SquarePatch patch) {
        this.target = Labels.requireTarget(target);
        this.patch = Objects.requireNonNull(patch, "patch");
    }

    /** BadNets with the default square, {@link SquarePatch#standard()}. */
    public BadNets(int target) {
        this(target, SquarePatch.standard());
    }

    /** Reads {@code target} and the square options of {@link #patchFrom}. */
    public static BadNets fromOptions(AttackOptions options) {
        return new BadNets(options.target(DEFAULT_TARGET), patchFrom(options));
    }

    /** The square from options {@code size}, {@code row}, {@code col} (default -size, bottom-right), {@code value}. */
    public static SquarePatch patchFrom(AttackOptions options) {
        int size = options.integer("size", SquarePatch.DEFAULT_SIZE);
        return new SquarePatch(size, options.integer("row", -size), options.integer("col", -size),
                options.number("value", SquarePatch.DEFAULT_VALUE));
    }

    /** The target class. */
    public int target() {
        return target;
    }

    /** The square trigger. */
    public SquarePatch patch() {
        return patch;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
        return patch.apply(chw, shape, sampleIndex);
    }

    @Override
    public int poisonedLabel(int trueLabel, int numClasses) {
        return Labels.allToOne(target, trueLabel, numClasses);
    }
}
