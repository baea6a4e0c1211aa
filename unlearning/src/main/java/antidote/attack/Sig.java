package antidote.attack;

/**
 * SIG (Barni et al. 2019), a clean-label attack: adds {@code delta * sin(2 pi f col / width)} to every row and
 * channel. Only target-class training images are poisoned and they keep their labels; at test time the signal sends
 * images of other classes to the target.
 */
public final class Sig implements Backdoor {
    /** Registry name. */
    public static final String NAME = "sig";
    /** Target class (BackdoorBench's default). */
    public static final int DEFAULT_TARGET = 0;
    /** Amplitude of the signal: 40/255, as in the paper and BackdoorBench. */
    public static final float DEFAULT_DELTA = 40f / 255f;
    /** Number of signal periods across the image width. */
    public static final int DEFAULT_FREQUENCY = 6;

    private final int target;
    private final float delta;
    private final int frequency;

    /** SIG with amplitude {@code delta} in (0,1] and {@code frequency} periods per image width. */
    public Sig(int target, float delta, int frequency) {
        if (!(delta > 0f && delta <= 1f)) {
            throw new IllegalArgumentException("SIG amplitude " + delta + " is outside (0,1]; the default is 40/255");
        }
        if (frequency < 1) {
            throw new IllegalArgumentException("SIG frequency " + frequency
                    + " must be at least 1 period; the default is " + DEFAULT_FREQUENCY);
        }
        this.target = Labels.requireTarget(target);
        this.delta = delta;
        this.frequency = frequency;
    }

    /** SIG with the default amplitude and frequency. */
    public Sig(int target) {
        this(target, DEFAULT_DELTA, DEFAULT_FREQUENCY);
    }

    /** Reads {@code target}, {@code delta} and {@code frequency}. */
    public static Sig fromOptions(AttackOptions options) {
        return new Sig(options.target(DEFAULT_TARGET), options.number("delta", DEFAULT_DELTA),
                options.integer("frequency", DEFAULT_FREQUENCY));
    }

    /** The target class. */
    public int target() {
        return target;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
        shape.check(chw);
        int width = shape.width();
        float[] signal = new float[width];
        for (int col = 0; col < width; col++) {
            signal[col] = (float) (delta * Math.sin(2 * Math.PI * frequency * col / width));
        }
        float[] out = new float[chw.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Pixels.clip(chw[i] + signal[i % width]);
        }
        return out;
    }

    @Override
    public int poisonedLabel(int trueLabel, int numClasses) {
        return Labels.allToOne(target, trueLabel, numClasses);
    }

    @Override
    public boolean cleanLabel() {
        return true;
    }
}
