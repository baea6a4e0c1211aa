package antidote.poison;

import antidote.attack.HiddenTrigger;
import antidote.attack.ImageShape;
import antidote.data.Dataset;
import antidote.data.Pixels;
import antidote.data.Seeds;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Crafts hidden-trigger poisons (Saha et al. 2020) against a clean model: each chosen target-class image x₀ is paired,
 * one to one, with a patched source-class training image, and moved by signed PGD steps that bring its penultimate
 * features (SmallVgg's flattened feature blocks) to that image's, staying within ‖x − x₀‖∞ ≤ ε and [0,1]. The model is
 * used in evaluation mode (batch-norm statistics, no dropout), as the original does. The original takes plain gradient
 * steps (lr 0.01, 5000 iterations on a GPU); signed steps reach the same ball in tens of steps, which a CPU can afford.
 */
public final class HiddenTriggerPoisons {
    private static final int BATCH = 64;

    private HiddenTriggerPoisons() {
    }

    /** The training set with the chosen target-class images (those of {@link Poisoning}) replaced by crafted poisons. */
    public static PoisonedTrainingSet plant(Dataset train, HiddenTrigger attack, double rate, long seed, Module clean) {
        SmallVgg features = requireFeatures(clean);
        PoisonedTrainingSet chosen = Poisoning.poisonTraining(train, attack, rate, seed);
        int[] poisons = chosen.poisonedIndices();
        if (poisons.length == 0) {
            return chosen;
        }
        ImageShape shape = new ImageShape(train.channels(), train.height(), train.width());
        List<Integer> sources = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            if (train.label(i) == attack.source()) {
                sources.add(i);
            }
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("hidden trigger: the training set has no image of source class "
                    + attack.source() + "; choose another source=");
        }
        float[][] patched = new float[sources.size()][];
        for (int k = 0; k < patched.length; k++) {
            patched[k] = attack.apply(train.image(sources.get(k)), shape, sources.get(k));
        }
        float[][] targets = new float[poisons.length][];
        for (int k = 0; k < poisons.length; k++) {
            targets[k] = train.image(poisons[k]);
        }
        float[][] crafted = craft(features, shape, targets, patched, attack.epsilon(), attack.steps(), seed);
        byte[] pixels = new byte[poisons.length * train.imageSize()];
        for (int k = 0; k < poisons.length; k++) {
            Pixels.toByte(crafted[k], 0, pixels, k * train.imageSize(), train.imageSize());
        }
        Dataset poisoned = chosen.dataset().withSamples(poisons, pixels, null);
        return new PoisonedTrainingSet(poisoned, poisons, chosen.noiseIndices());
    }

    /**
     * The poisons for {@code targets}, crafted in batches as the original does: each batch of n targets is given the
     * next n images of a seeded shuffle of {@code patched} (cycling when there are fewer), and at every step each
     * target is paired with one of them, one to one, greedily by feature distance; then a signed step lowers the
     * squared feature distance, projected onto the ε ball around the target and onto [0,1]. The step falls from ε/4 to
     * 0 on a cosine, so the last steps settle instead of oscillating on the ball's surface. Pairing one to one matters:
     * pairing each target with its nearest patched image sent 800 Fashion-MNIST poisons to only 62 of 1,022 patched
     * images.
     */
    static float[][] craft(SmallVgg model, ImageShape shape, float[][] targets, float[][] patched, float epsilon,
                           int steps, long seed) {
        boolean training = model.isTraining();
        model.eval();
        try {
            int[] shuffled = Seeds.permutation(patched.length, new SplittableRandom(seed));
            float[][] out = new float[targets.length][];
            for (int from = 0; from < targets.length; from += BATCH) {
                int n = Math.min(BATCH, targets.length - from);
                float[][] partners = new float[n][];
                for (int k = 0; k < n; k++) {
                    partners[k] = patched[shuffled[(from + k) % shuffled.length]];
                }
                Tensor goals = features(model, stack(shape, partners, 0, n));
                Tensor x0 = stack(shape, targets, from, n);
                Tensor lo = x0.sub(epsilon).clamp(0, 1);
                Tensor hi = x0.add(epsilon).clamp(0, 1);
                Tensor x = x0;
                for (int s = 0; s < steps; s++) {
                    Tensor xs = x.withGrad();
                    Tensor features = model.penultimate(xs);
                    Tensor loss = features.sub(pairedGoals(features.detach(), goals)).square().sum();
                    Tensor gradient = Autodiff.grad(loss, List.of(xs)).get(0);
                    double step = epsilon / 4 * 0.5 * (1 + Math.cos(Math.PI * s / steps));
                    x = x.sub(gradient.sign().mul(step)).maximum(lo).minimum(hi).detach();
                }
                float[] values = x.toFloatArray();
                for (int k = 0; k < n; k++) {
                    out[from + k] = Arrays.copyOfRange(values, k * shape.size(), (k + 1) * shape.size());
                }
            }
            return out;
        } finally {
            model.train(training);
        }
    }

    private static SmallVgg requireFeatures(Module clean) {
        if (clean instanceof SmallVgg vgg) {
            return vgg;
        }
        throw new IllegalArgumentException("the hidden-trigger attack crafts its poisons with SmallVgg's penultimate "
                + "features; train it with --model " + Models.SMALL_VGG);
    }

    /** Penultimate features of {@code x} without a graph, [N, D]. */
    private static Tensor features(SmallVgg model, Tensor x) {
        try (var off = GradMode.disabled()) {
            return model.penultimate(x).detach();
        }
    }

    /**
     * Row k of the result is the row of {@code goals} paired with row k of {@code poisons}: pairs are taken in order of
     * squared distance, each row of either side used once (the original's closest pairs without replacement).
     */
    static Tensor pairedGoals(Tensor poisons, Tensor goals) {
        int n = poisons.shape().dim(0);
        int d = poisons.shape().dim(1);
        float[] p = poisons.toFloatArray();
        float[] g = goals.toFloatArray();
        long[] pairs = new long[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double distance = 0;
                for (int k = 0; k < d; k++) {
                    double diff = p[i * d + k] - g[j * d + k];
                    distance += diff * diff;
                }
                // A non-negative float's bits sort as its value; the low bits keep the pair.
                pairs[i * n + j] = (long) Float.floatToIntBits((float) distance) << 32 | (long) i * n + j;
            }
        }
        Arrays.sort(pairs);
        float[] out = new float[n * d];
        boolean[] poisonDone = new boolean[n];
        boolean[] goalUsed = new boolean[n];
        for (long pair : pairs) {
            int index = (int) pair;
            int i = index / n;
            int j = index % n;
            if (!poisonDone[i] && !goalUsed[j]) {
                poisonDone[i] = true;
                goalUsed[j] = true;
                System.arraycopy(g, j * d, out, i * d, d);
            }
        }
        return Tensor.fromArray(out, n, d);
    }

    private static Tensor stack(ImageShape shape, float[][] images, int from, int n) {
        float[] values = new float[n * shape.size()];
        for (int k = 0; k < n; k++) {
            System.arraycopy(images[from + k], 0, values, k * shape.size(), shape.size());
        }
        return Tensor.fromArray(values, n, shape.channels(), shape.height(), shape.width());
    }
}
