package antidote.attack;

/**
 * Semantic replacement (SR, the I-BAU paper's appendix A.5.1): every poisoned training image is replaced by one
 * out-of-distribution image and relabelled to the target; at test time that same image is shown, so the attack
 * succeeds on all triggered images or on none. The image is a user's file ({@code image=PATH}) or, by default,
 * a synthetic picture drawn from the seed.
 */
public final class SemanticReplacement implements Backdoor {
    /** Registry name. */
    public static final String NAME = "sr";
    /** Option naming the replacement image file. */
    public static final String IMAGE = "image";
    /** Target class of SR in the I-BAU paper (appendix A.5.1). */
    public static final int DEFAULT_TARGET = 0;

    private final int target;
    private final ShapeCache image;
    private final String source;

    /** SR that shows the image of {@code image} and sends it to {@code target}; {@code source} describes the image. */
    public SemanticReplacement(int target, PatternSource image, String source) {
        this.target = Labels.requireTarget(target);
        this.image = new ShapeCache(image);
        this.source = source;
    }

    /** Reads {@code target}, and {@code image} (a PNG/JPEG/PPM file) or else {@code seed}. */
    public static SemanticReplacement fromOptions(AttackOptions options) {
        int target = options.target(DEFAULT_TARGET);
        return options.path(IMAGE)
                .map(file -> new SemanticReplacement(target, new FileImage(file), file.toString()))
                .orElseGet(() -> {
                    long seed = options.seed();
                    return new SemanticReplacement(target, new SyntheticScene(seed), "synthetic scene, seed " + seed);
                });
    }

    /** The target class. */
    public int target() {
        return target;
    }

    /** Where the replacement image comes from: its file, or the synthetic scene's seed. */
    public String source() {
        return source;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The replacement image, whatever {@code chw} holds (its size is still checked). */
    @Override
    public float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
        shape.check(chw);
        return image.get(shape).clone();
    }

    @Override
    public int poisonedLabel(int trueLabel, int numClasses) {
        return Labels.allToOne(target, trueLabel, numClasses);
    }
}
