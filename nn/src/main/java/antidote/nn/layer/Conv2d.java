package antidote.nn.layer;

import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.nn.persample.LayerCapture;
import antidote.nn.persample.PerSampleLayer;
import antidote.nn.persample.PerSampleRules;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * PyTorch's {@code nn.Conv2d} with a square kernel, equal stride and zero padding on both axes:
 * {@code weight} [out, in, k, k] and optional {@code bias} [out], both uniform on ±1/√(in·k·k).
 */
public final class Conv2d extends Module implements PerSampleLayer {
    private final Parameter weight;
    private final Parameter bias;
    private final int stride;
    private final int padding;
    private LayerCapture capture;

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
        Tensor y = x.conv2d(weight.get(), bias == null ? null : bias.get(), stride, padding);
        return capture == null ? y : capture.record(this, x, y);
    }

    @Override
    public void captureInto(LayerCapture capture) {
        this.capture = capture;
    }

    @Override
    public List<Tensor> perSampleGradients(Tensor input, Tensor gradOutput) {
        return PerSampleRules.conv2d(input, gradOutput, weight.shape().dim(2), stride, padding, bias != null);
    }
}
