package antidote.attack;

/**
 * A backdoor whose trigger is a fixed pattern added to the image then clipped, {@code x' = clip(x + P)}, sending
 * every image to one target (Trojan square and watermark, l2, smooth). Subclass it to add another additive trigger.
 */
public abstract class AdditiveBackdoor implements Backdoor {
    private final int target;
    private final ShapeCache pattern;

    /** A backdoor adding {@code pattern} and sending every image to {@code target}. */
    protected AdditiveBackdoor(int target, PatternSource pattern) {
        this.target = Labels.requireTarget(target);
        this.pattern = new ShapeCache(pattern);
    }

    /** The target class. */
    public final int target() {
        return target;
    }

    /** A copy of the pattern added to images of {@code shape}. */
    public final float[] pattern(ImageShape shape) {
        return pattern.get(shape).clone();
    }

    @Override
    public final float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
        shape.check(chw);
        return Pixels.addClipped(chw, pattern.get(shape));
    }

    @Override
    public final int poisonedLabel(int trueLabel, int numClasses) {
        return Labels.allToOne(target, trueLabel, numClasses);
    }
}
