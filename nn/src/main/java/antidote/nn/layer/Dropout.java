package antidote.nn.layer;

import antidote.nn.Module;
import antidote.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * PyTorch's {@code nn.Dropout} (Srivastava et al., 2014): in training mode each element is zeroed with
 * probability p and the rest scaled by 1/(1−p), with masks drawn from the generator given at
 * construction; in evaluation mode it is the identity.
 */
public final class Dropout extends Module {
    private final double p;
    private final RandomGenerator rng;

    public Dropout(double p, RandomGenerator rng) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        return isTraining() ? x.dropout(p, rng) : x;
    }
}
