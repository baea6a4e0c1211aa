package antidote.attack;

import java.util.SplittableRandom;

/**
 * Blend (Chen et al. 2017): {@code x' = (1 - alpha) x + alpha K}, with a key image K read from a user's file (the paper
 * uses Hello Kitty) or, by default, uniform noise in [0,1) drawn from a seed.
 */
public final class Blend implements Backdoor {
    /** Registry name. */
    public static final String NAME = "blend";
    /** Target class of Blend in the I-BAU paper (appendix A.4.1). */
    public static final int DEFAULT_TARGET = 1;
    /** Blend weight of the key image (Chen et al.; BackdoorBench's default). */
    public static final float DEFAULT_ALPHA = 0.2f;

    private final int target;
    private final float alpha;
    private final ShapeCache key;

    /** Blend towards {@code key} with weight {@code alpha} in [0,1], sending every image to {@code target}. */
    public Blend(int target, float alpha, PatternSource key) {
        if (!(alpha >= 0f && alpha <= 1f)) {
            throw new IllegalArgumentException("blend alpha " + alpha + " is outside [0,1]; the default is "
                    + DEFAULT_ALPHA);
        }
        this.target = Labels.requireTarget(target);
        this.alpha = alpha;
        this.key = new ShapeCache(key);
    }

    /** Reads {@code target}, {@code alpha}, and {@code pattern} (a key image file) or else {@code seed}. */
    public static Blend fromOptions(AttackOptions options) {
        PatternSource key = options.path(AttackOptions.PATTERN).<PatternSource>map(PngPattern::new)
                .orElseGet(() -> noise(options.seed()));
        return new Blend(options.target(DEFAULT_TARGET), options.number("alpha", DEFAULT_ALPHA), key);
    }

    /** A key of independent uniform values in [0,1), one per CHW value, drawn from {@code seed}. */
    public static PatternSource noise(long seed) {
        return shape -> {
            SplittableRandom random = new SplittableRandom(seed);
            float[] values = new float[shape.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextFloat();
            }
            return values;
        };
    }

    /** The target class. */
    public int target() {
        return target;
    }

    /** The weight of the key image. */
    public float alpha() {
        return alpha;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
        shape.check(chw);
        float[] k = key.get(shape);
        float[] out = new float[chw.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Pixels.clip((1f - alpha) * chw[i] + alpha * k[i]);
        }
        return out;
    }

    @Override
    public int poisonedLabel(int trueLabel, int numClasses) {
        return Labels.allToOne(target, trueLabel, numClasses);
    }
}
