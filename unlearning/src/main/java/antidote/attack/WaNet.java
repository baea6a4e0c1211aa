package antidote.attack;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WaNet (Nguyen and Tran 2021): warps the image with a smooth random field drawn from a seed: a k x k control grid
 * of strength s, upsampled bilinearly (BackdoorBench upsamples it bicubically), then bilinear sampling of the image.
 * Noise mode ({@link #applyNoise}) warps with a per-sample jittered field, and those images keep their labels.
 */
public final class WaNet implements Backdoor {
    /** Registry name. */
    public static final String NAME = "wanet";
    /** Target class (BackdoorBench's default). */
    public static final int DEFAULT_TARGET = 0;
    /** Side k of the control grid (BackdoorBench's default). */
    public static final int DEFAULT_GRID = 4;
    /** Warping strength s (BackdoorBench's default). */
    public static final float DEFAULT_STRENGTH = 0.5f;
    /** Noise-mode images per poisoned image (BackdoorBench's cross_ratio). */
    public static final double DEFAULT_CROSS_RATIO = 2;

    private final int target;
    private final int grid;
    private final float strength;
    private final NoiseMode noiseMode;
    private final long seed;
    private final Map<ImageShape, float[]> fields = new ConcurrentHashMap<>();

    /** WaNet with a {@code grid} x {@code grid} control grid, warping {@code strength} and a field drawn from seed. */
    public WaNet(int target, int grid, float strength, double crossRatio, long seed) {
        if (grid < 2) {
            throw new IllegalArgumentException("WaNet grid " + grid + " must be at least 2; the default is "
                    + DEFAULT_GRID);
        }
        if (!(strength >= 0f && strength < Float.MAX_VALUE)) {
            throw new IllegalArgumentException("WaNet strength " + strength
                    + " must be a number >= 0; the default is " + DEFAULT_STRENGTH);
        }
        this.target = Labels.requireTarget(target);
        this.grid = grid;
        this.strength = strength;
        this.seed = seed;
        this.noiseMode = new NoiseMode(this::applyNoise, crossRatio);
    }

    /** WaNet with the default grid, strength and cross ratio. */
    public WaNet(int target, long seed) {
        this(target, DEFAULT_GRID, DEFAULT_STRENGTH, DEFAULT_CROSS_RATIO, seed);
    }

    /** Reads {@code target}, {@code grid}, {@code strength}, {@code cross-ratio} and {@code seed}. */
    public static WaNet fromOptions(AttackOptions options) {
        return new WaNet(options.target(DEFAULT_TARGET), options.integer("grid", DEFAULT_GRID),
                options.number("strength", DEFAULT_STRENGTH),
                options.number("cross-ratio", (float) DEFAULT_CROSS_RATIO), options.seed());
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
        return Pixels.clipInPlace(WarpField.sample(chw, shape, field(shape)));
    }

    /** Noise mode: the image warped with this attack's field plus a jitter drawn from the seed and sample index. */
    public float[] applyNoise(float[] chw, ImageShape shape, int sampleIndex) {
        shape.check(chw);
        float[] jittered = WarpField.jitter(field(shape), shape, Seeds.derive(seed, sampleIndex));
        return Pixels.clipInPlace(WarpField.sample(chw, shape, jittered));
    }

    @Override
    public Optional<NoiseMode> noiseMode() {
        return Optional.of(noiseMode);
    }

    @Override
    public int poisonedLabel(int trueLabel, int numClasses) {
        return Labels.allToOne(target, trueLabel, numClasses);
    }

    /** The sampling positions of the warp for {@code shape}: x of every pixel, then y (see {@link WarpField}). */
    float[] field(ImageShape shape) {
        return fields.computeIfAbsent(shape, s -> WarpField.positions(s, grid, strength, seed));
    }
}
