package antidote.nn;

import antidote.tensor.Tensor;

/**
 * A trainable tensor of a {@link Module}: a mutable holder of an immutable tensor (PyTorch's
 * {@code nn.Parameter}). It starts as a leaf that gradients are computed for ({@code withGrad()}).
 *
 * <p>{@link #set} stores exactly the tensor given. Optimizers and state-dict loading store fresh leaves
 * ({@code value.withGrad()}); functional code may store any tensor of the same shape, for example a
 * {@code withGrad()} copy it wants gradients for, or θ − η·g still attached to a graph, then run
 * {@code forward} (see {@link Module#setParameterValues}).
 */
public final class Parameter extends Slot {

    /** A parameter holding {@code initial} as a fresh leaf that requires gradients. */
    public Parameter(Tensor initial) {
        super(initial.detach().withGrad());
    }

    /** Replaces the held tensor with {@code value}, which must have the same shape. */
    public void set(Tensor value) {
        replace(value);
    }
}
