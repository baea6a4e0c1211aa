package antidote.nn.layer;

import antidote.nn.Module;
import antidote.tensor.Tensor;

/** PyTorch's {@code nn.MaxPool2d} (floor mode, padding never wins); the gradient goes to each window's first maximum. */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    /** Non-overlapping windows: stride = kernel, no padding (PyTorch's default). */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.maxPool2d(kernel, stride, padding);
    }
}
