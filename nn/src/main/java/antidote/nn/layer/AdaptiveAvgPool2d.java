package antidote.nn.layer;

import antidote.nn.Module;
import antidote.tensor.Tensor;

/**
 * PyTorch's {@code nn.AdaptiveAvgPool2d((1, 1))}: the mean of each channel over H×W, giving [N, C, 1, 1]
 * for any input size. Only the 1×1 output that classifiers use is offered.
 */
public final class AdaptiveAvgPool2d extends Module {
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: expected NCHW input, got shape " + x.shape());
        }
        return x.mean(true, 2, 3);
    }
}
