package antidote.nn.layer;

import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * PyTorch's {@code nn.Conv2d} with a square kernel, equal stride and zero padding on both axes:
 * {@code weight} [out, in, k, k] and optional {@code bias} [out], both uniform on ±1/√(in·k·k).
 */
public final class Conv2d extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final int stride;
    private final int padding;

    /** Draws the weight, then the bias (when {@code bias} is true), from {@code rng}. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias,
                  RandomGenerator rng) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1) {
            throw new IllegalArgumentException("Conv2d: channels (" + inChannels + ", " + outChannels
                    + ") and kernel (" + kernel + ") must be >= 1");
        }
        int fanIn = inChannels * kernel * kernel;
        this.weight = registerParameter("weight", Init.fanInUniform(rng, fanIn, outChannels, inChannels, kernel, kernel));
        this.bias = bias ? registerParameter("bias", Init.fanInUniform(rng, fanIn, outChannels)) : null;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.conv2d(weight.get(), bias == null ? null : bias.get(), stride, padding);
    }
}
