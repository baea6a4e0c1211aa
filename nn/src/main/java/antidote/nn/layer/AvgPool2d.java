package antidote.nn.layer;

import antidote.nn.Module;
import antidote.tensor.Tensor;

/** PyTorch's {@code nn.AvgPool2d} (floor mode, zero padding counted in the average). */
public final class AvgPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    /** Non-overlapping windows: stride = kernel, no padding (PyTorch's default). */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.avgPool2d(kernel, stride, padding);
    }
}
