package antidote.attack;

import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.nn.io.ModelInfo;
import antidote.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The two generators of the input-aware attack for one image shape: {@code pattern} (an image in [0,1] per input) and
 * {@code mask} (one channel, pushed towards 0 or 1 by {@link #threshold}). A triggered image is
 * {@code x + m(x) ⊙ (g(x) − x)} ({@link #compose}). Saved as one safetensors file with the keys {@code pattern.*} and
 * {@code mask.*}.
 */
public final class InputAwareNetworks extends Module {
    /** The file a training run keeps the generators in, next to its model. */
    public static final String FILE = "iab-generators.safetensors";
    /** The model name recorded in the generators' file, checked when it is loaded. */
    public static final String MODEL_NAME = "iab-generators";

    private final ImageShape shape;
    private final long seed;
    private final InputAwareGenerator pattern;
    private final InputAwareGenerator mask;

    /** Fresh generators for images of {@code shape}, their weights drawn from {@code seed} (pattern first). */
    public InputAwareNetworks(ImageShape shape, long seed) {
        this.shape = shape;
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(seed);
        this.pattern = registerModule("pattern", new InputAwareGenerator(shape, shape.channels(), rng));
        this.mask = registerModule("mask", new InputAwareGenerator(shape, 1, rng));
    }

    /** The generators saved by {@link #save} in {@code file}, for images of {@code shape}. */
    public static InputAwareNetworks load(Path file) throws IOException {
        ModelInfo info = Checkpoint.readInfo(file);
        if (!info.model().equals(MODEL_NAME)) {
            throw new IllegalArgumentException(file + " holds a '" + info.model() + "' model, not the input-aware "
                    + "attack's generators; give the " + MODEL_NAME + " file its training run wrote");
        }
        List<Integer> s = info.inputShape();
        InputAwareNetworks networks = new InputAwareNetworks(new ImageShape(s.get(0), s.get(1), s.get(2)), info.seed());
        Checkpoint.load(file, networks);
        return networks.eval();
    }

    /** Writes both generators to {@code file} atomically (a temporary name, then a rename). */
    public void save(Path file) throws IOException {
        Checkpoint.save(file, this, ModelInfo.of(MODEL_NAME, 0, new int[] {shape.channels(), shape.height(),
                shape.width()}, seed));
    }

    /** The image shape the generators take. */
    public ImageShape shape() {
        return shape;
    }

    /** The pattern generator g. */
    public InputAwareGenerator pattern() {
        return pattern;
    }

    /** The mask generator m (before {@link #threshold}). */
    public InputAwareGenerator mask() {
        return mask;
    }

    /** The mask of {@code x}: the mask generator's output sharpened by {@link #threshold}, [N, 1, H, W]. */
    public Tensor maskOf(Tensor x) {
        return threshold(mask.forward(x));
    }

    /** {@code x + m(x) ⊙ (g(x) − x)} with this pair's pattern and mask of {@code x}. */
    public Tensor trigger(Tensor x) {
        return compose(x, pattern.forward(x), maskOf(x));
    }

    @Override
    public Tensor forward(Tensor x) {
        return trigger(x);
    }

    /** {@code x + mask ⊙ (pattern − x)}; the one-channel mask is shared by every channel. */
    public static Tensor compose(Tensor x, Tensor pattern, Tensor mask) {
        return x.add(pattern.sub(x).mul(mask));
    }

    /** The original's sharpening {@code tanh(20m − 10) / (2 + ε) + 0.5}: near 0 below m = 0.5, near 1 above. */
    public static Tensor threshold(Tensor m) {
        return InputAwareGenerator.squash(m.mul(20).sub(10));
    }

    /** Triggers {@code count} CHW images packed in {@code images} in evaluation mode, without gradients. */
    public float[] triggerAll(float[] images, int count) {
        if (images.length != (long) count * shape.size()) {
            throw new IllegalArgumentException(images.length + " values are not " + count + " images of " + shape);
        }
        // Each generator gets its own mode back: during training the pattern generator learns, the mask is frozen.
        boolean patternTraining = pattern.isTraining();
        boolean maskTraining = mask.isTraining();
        eval();
        try (var off = GradMode.disabled()) {
            Tensor x = Tensor.fromArray(images, count, shape.channels(), shape.height(), shape.width());
            return trigger(x).clamp(0, 1).toFloatArray();
        } finally {
            pattern.train(patternTraining);
            mask.train(maskTraining);
        }
    }

    @Override
    public InputAwareNetworks eval() {
        super.eval();
        return this;
    }
}
