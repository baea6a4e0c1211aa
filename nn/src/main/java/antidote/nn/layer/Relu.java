package antidote.nn.layer;

import antidote.nn.Module;
import antidote.tensor.Tensor;

/** PyTorch's {@code nn.ReLU}: max(x, 0), with derivative 0 at 0. */
public final class Relu extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
