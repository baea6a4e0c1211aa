package antidote.defense.deepinspect;

import antidote.nn.Module;
import antidote.nn.layer.Linear;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * DeepInspect's discriminator D: a two-layer perceptron (the generator's shape, mirrored) whose two logits tell a
 * clean image (class {@link #CLEAN}) from a triggered one, clamp(x + Δ, 0, 1) (class {@link #TRIGGERED}). Two logits
 * with softmax cross-entropy are the usual sigmoid GAN loss, −log σ(ℓ_clean − ℓ_triggered), written with the
 * engine's fused, numerically stable cross-entropy.
 */
final class TriggerDiscriminator extends Module {
    static final int TRIGGERED = 0;
    static final int CLEAN = 1;

    private final Linear hidden;
    private final Linear output;

    TriggerDiscriminator(int[] imageShape, int hiddenSize, RandomGenerator rng) {
        this.hidden = registerModule("hidden", new Linear(Shape.of(imageShape).size(), hiddenSize, true, rng));
        this.output = registerModule("output", new Linear(hiddenSize, 2, true, rng));
    }

    /** The logits [N, 2] (triggered, clean) of images [N, C, H, W]. */
    @Override
    public Tensor forward(Tensor images) {
        return output.forward(hidden.forward(images.flatten(1)).relu());
    }

    /**
     * D's loss (GAN discriminator, Goodfellow et al. 2014): the mean cross-entropy of the clean images' logits
     * toward "clean" plus that of the triggered images' logits toward "triggered"; each set has its own mean, so
     * that C triggered copies of a batch weigh as much as the one clean batch.
     */
    static Tensor loss(Tensor cleanLogits, Tensor triggeredLogits) {
        return cleanLogits.crossEntropy(labels(cleanLogits, CLEAN))
                .add(triggeredLogits.crossEntropy(labels(triggeredLogits, TRIGGERED)));
    }

    /**
     * The generator's adversarial term: the non-saturating −log D(x̃) (Goodfellow et al. 2014, section 3), the mean
     * cross-entropy of D's logits on the triggered images toward "clean". It has the minimax term log(1 − D(x̃))'s
     * fixed point without its vanishing gradient while D wins easily, which it does at the start.
     */
    Tensor generatorTerm(Tensor triggered) {
        Tensor logits = forward(triggered);
        return logits.crossEntropy(labels(logits, CLEAN));
    }

    private static int[] labels(Tensor logits, int label) {
        int[] out = new int[logits.dim(0)];
        Arrays.fill(out, label);
        return out;
    }
}
