package antidote.defense.deepinspect;

import antidote.nn.Module;
import antidote.nn.layer.Linear;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * DeepInspect's conditional generator G(z, t): noise z and the one-hot target t go through a two-layer perceptron
 * to an additive perturbation Δ in (−1, 1) of the image's shape (tanh output), so that clamp(x + Δ, 0, 1) is the
 * triggered image.
 */
final class TriggerGenerator extends Module {
    private final Linear hidden;
    private final Linear output;
    private final int noiseDim;
    private final int classes;
    private final int[] imageShape;

    TriggerGenerator(int noiseDim, int classes, int hiddenSize, int[] imageShape, RandomGenerator rng) {
        this.noiseDim = noiseDim;
        this.classes = classes;
        this.imageShape = imageShape.clone();
        this.hidden = registerModule("hidden", new Linear(noiseDim + classes, hiddenSize, true, rng));
        this.output = registerModule("output", new Linear(hiddenSize, Shape.of(imageShape).size(), true, rng));
    }

    /** Δ [N,C,H,W] for the rows of {@code input} = [z, one-hot(t)] [N, noiseDim + classes]. */
    @Override
    public Tensor forward(Tensor input) {
        Tensor flat = output.forward(hidden.forward(input).relu()).tanh();
        return flat.reshape(input.dim(0), imageShape[0], imageShape[1], imageShape[2]);
    }

    /** The generator's input for {@code targets}: fresh uniform noise in [0,1) next to each target's one-hot code. */
    Tensor input(int[] targets, RandomGenerator rng, Tensor like) {
        int width = noiseDim + classes;
        double[] v = new double[targets.length * width];
        for (int i = 0; i < targets.length; i++) {
            for (int j = 0; j < noiseDim; j++) {
                v[i * width + j] = rng.nextDouble();
            }
            v[i * width + noiseDim + targets[i]] = 1;
        }
        return Tensor.fromArray(v, Shape.of(targets.length, width), like.device()).to(like.dtype());
    }

    /** Δ for {@code targets}, each with its own fresh noise. */
    Tensor generate(int[] targets, RandomGenerator rng, Tensor like) {
        return forward(input(targets, rng, like));
    }
}
