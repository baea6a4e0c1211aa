package antidote.nn.layer;

import antidote.nn.Module;
import antidote.tensor.Tensor;

/** PyTorch's {@code nn.ELU}: x for x > 0, α·(eˣ − 1) otherwise (Clevert et al., 2016). */
public final class Elu extends Module {
    private final double alpha;

    /** α = 1, PyTorch's default. */
    public Elu() {
        this(1.0);
    }

    public Elu(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.elu(alpha);
    }
}
