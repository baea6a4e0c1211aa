package antidote.nn.layer;

import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.nn.persample.LayerCapture;
import antidote.nn.persample.PerSampleLayer;
import antidote.nn.persample.PerSampleRules;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.random.RandomGenerator;

/** PyTorch's {@code nn.Linear}: y = x·Wᵀ + b with {@code weight} [out, in], {@code bias} [out], uniform on ±1/√in. */
public final class Linear extends Module implements PerSampleLayer {
    private final Parameter weight;
    private final Parameter bias;
    private LayerCapture capture;

    /** Draws the weight, then the bias (when {@code bias} is true), from {@code rng}. */
    public Linear(int inFeatures, int outFeatures, boolean bias, RandomGenerator rng) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: features (" + inFeatures + ", " + outFeatures + ") must be >= 1");
        }
        this.weight = registerParameter("weight", Init.fanInUniform(rng, inFeatures, outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Init.fanInUniform(rng, inFeatures, outFeatures)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x.linear(weight.get(), bias == null ? null : bias.get());
        return capture == null ? y : capture.record(this, x, y);
    }

    @Override
    public void captureInto(LayerCapture capture) {
        this.capture = capture;
    }

    @Override
    public List<Tensor> perSampleGradients(Tensor input, Tensor gradOutput) {
        return PerSampleRules.linear(input, gradOutput, bias != null);
    }
}
