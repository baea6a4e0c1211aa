package antidote.nn.layer;

import antidote.nn.Module;
import antidote.tensor.Tensor;

/** PyTorch's {@code nn.Flatten()}: keeps the batch axis and flattens the rest, [N, ...] to [N, prod(...)]. */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(1);
    }
}
