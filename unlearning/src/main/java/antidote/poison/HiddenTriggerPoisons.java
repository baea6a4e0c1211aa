package antidote.poison;

import antidote.attack.HiddenTrigger;
import antidote.attack.ImageShape;
import antidote.data.Dataset;
import antidote.data.Pixels;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Crafts hidden-trigger poisons (Saha et al. 2020) against a clean model: each chosen target-class image x₀ is paired
 * with the patched source-class training image nearest to it in the model's penultimate features, then moved by
 * signed PGD steps that lower the squared feature distance, staying within ‖x − x₀‖∞ ≤ ε and [0,1]. The model is used
 * in evaluation mode (batch-norm statistics, no dropout), as the original does. The original takes plain gradient
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
        float[][] crafted = craft(features, shape, targets, patched, attack.epsilon(), attack.steps());
        byte[] pixels = new byte[poisons.length * train.imageSize()];
        for (int k = 0; k < poisons.length; k++) {
            Pixels.toByte(crafted[k], 0, pixels, k * train.imageSize(), train.imageSize());
        }
        Dataset poisoned = chosen.dataset().withSamples(poisons, pixels, null);
        return new PoisonedTrainingSet(poisoned, poisons, chosen.noiseIndices());
    }

    /**
     * The poisons for {@code targets}: each moved towards the features of its nearest image in {@code patched} by
     * {@code steps} signed steps of 2.5·ε/steps, projected onto the ε ball around it and onto [0,1].
     */
    static float[][] craft(SmallVgg model, ImageShape shape, float[][] targets, float[][] patched, float epsilon,
                           int steps) {
        boolean training = model.isTraining();
        model.eval();
        try {
            Tensor sourceFeatures = features(model, shape, patched);
            float[][] out = new float[targets.length][];
            double step = 2.5 * epsilon / steps;
            for (int from = 0; from < targets.length; from += BATCH) {
                int n = Math.min(BATCH, targets.length - from);
                Tensor x0 = stack(shape, targets, from, n);
                Tensor goal = nearest(features(model, x0), sourceFeatures);
                Tensor lo = x0.sub(epsilon).clamp(0, 1);
                Tensor hi = x0.add(epsilon).clamp(0, 1);
                Tensor x = x0;
                for (int s = 0; s < steps; s++) {
                    Tensor xs = x.withGrad();
                    Tensor loss = model.penultimate(xs).sub(goal).square().sum();
                    Tensor gradient = Autodiff.grad(loss, List.of(xs)).get(0);
                    x = x.sub(gradient.sign().mul(step)).maximum(lo).minimum(hi).detach();
                }
                float[] values = x.toFloatArray();
                for (int k = 0; k < n; k++) {
                    out[from + k] = java.util.Arrays.copyOfRange(values, k * shape.size(), (k + 1) * shape.size());
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

    /** Penultimate features of {@code images} without a graph, [N, D]. */
    private static Tensor features(SmallVgg model, ImageShape shape, float[][] images) {
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < images.length; from += BATCH) {
            parts.add(features(model, stack(shape, images, from, Math.min(BATCH, images.length - from))));
        }
        return Tensor.concat(0, parts);
    }

    private static Tensor features(SmallVgg model, Tensor x) {
        try (var off = GradMode.disabled()) {
            return model.penultimate(x).detach();
        }
    }

    /** For each row of {@code poisons}, the row of {@code candidates} at the smallest squared distance. */
    private static Tensor nearest(Tensor poisons, Tensor candidates) {
        int n = poisons.shape().dim(0);
        int m = candidates.shape().dim(0);
        int d = poisons.shape().dim(1);
        float[] p = poisons.toFloatArray();
        float[] c = candidates.toFloatArray();
        float[] goal = new float[n * d];
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                double distance = 0;
                for (int k = 0; k < d; k++) {
                    double diff = p[i * d + k] - c[j * d + k];
                    distance += diff * diff;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = j;
                }
            }
            System.arraycopy(c, best * d, goal, i * d, d);
        }
        return Tensor.fromArray(goal, n, d);
    }

    private static Tensor stack(ImageShape shape, float[][] images, int from, int n) {
        float[] values = new float[n * shape.size()];
        for (int k = 0; k < n; k++) {
            System.arraycopy(images[from + k], 0, values, k * shape.size(), shape.size());
        }
        return Tensor.fromArray(values, n, shape.channels(), shape.height(), shape.width());
    }
}
