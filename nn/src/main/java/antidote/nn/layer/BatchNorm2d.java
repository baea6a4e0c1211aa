package antidote.nn.layer;

import antidote.grad.GradMode;
import antidote.nn.Buffer;
import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.nn.persample.LayerCapture;
import antidote.nn.persample.PerSampleLayer;
import antidote.nn.persample.PerSampleRules;
import antidote.tensor.BatchNormResult;
import antidote.tensor.Tensor;

import java.util.List;

/**
 * PyTorch's {@code nn.BatchNorm2d} over NCHW input (Ioffe and Szegedy, 2015). Training mode normalises
 * with the batch mean and biased variance and then, outside the graph, updates
 * {@code running = (1 − momentum)·running + momentum·batch}, using the unbiased variance (n/(n−1)) for
 * {@code running_var} as PyTorch does, and adds 1 to {@code num_batches_tracked} (kept for PyTorch
 * compatibility; it only matters to PyTorch's momentum=None mode, which is not offered). Evaluation mode
 * normalises with the running statistics.
 *
 * <p>Per-sample gradients ({@link PerSampleLayer}) exist only in evaluation mode: in training mode every output
 * depends on the whole batch through its mean and variance, so a sample's gradient is not its own. DP-SGD
 * therefore runs batch norm on its fixed running statistics (the layer is then a per-channel affine map whose
 * weight and bias are still trained), which keeps the PyTorch layout of the checkpoint.
 */
public final class BatchNorm2d extends Module implements PerSampleLayer {
    /** PyTorch's default running-average factor. */
    public static final double DEFAULT_MOMENTUM = 0.1;
    /** PyTorch's default variance offset. */
    public static final double DEFAULT_EPS = 1e-5;

    private final Parameter weight;
    private final Parameter bias;
    private final Buffer runningMean;
    private final Buffer runningVar;
    private final Buffer batchesTracked;
    private final double eps;
    private final double momentum;
    private LayerCapture capture;

    /** Weight 1, bias 0, running mean 0, running variance 1, with PyTorch's eps and momentum. */
    public BatchNorm2d(int channels) {
        this(channels, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public BatchNorm2d(int channels, double eps, double momentum) {
        if (channels < 1 || eps <= 0 || momentum < 0 || momentum > 1) {
            throw new IllegalArgumentException("BatchNorm2d: need channels >= 1 (got " + channels + "), eps > 0 (got "
                    + eps + ") and momentum in [0, 1] (got " + momentum + ")");
        }
        this.weight = registerParameter("weight", Tensor.ones(channels));
        this.bias = registerParameter("bias", Tensor.zeros(channels));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(channels), false);
        this.runningVar = registerBuffer("running_var", Tensor.ones(channels), false);
        this.batchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(), true);
        this.eps = eps;
        this.momentum = momentum;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != runningMean.shape().dim(0)) {
            throw new IllegalArgumentException("BatchNorm2d: expected NCHW input with " + runningMean.shape().dim(0)
                    + " channels, got " + x.shape());
        }
        if (!isTraining()) {
            Tensor y = x.batchNormEval(runningMean.get(), runningVar.get(), weight.get(), bias.get(), eps);
            return capture == null ? y : capture.record(this, x, y);
        }
        if (capture != null) {
            throw new IllegalStateException(notPerSample());
        }
        int perChannel = x.size() / x.dim(1);
        if (perChannel < 2) {
            throw new IllegalArgumentException("BatchNorm2d: training needs more than 1 value per channel, input "
                    + x.shape() + " has " + perChannel + "; use a larger batch or eval()");
        }
        BatchNormResult result = x.batchNormTrainWithStatistics(weight.get(), bias.get(), eps);
        updateRunningStatistics(result, perChannel);
        return result.output();
    }

    @Override
    public void captureInto(LayerCapture capture) {
        this.capture = capture;
    }

    /** Weight and bias per sample, from the input normalised with the running statistics. */
    @Override
    public List<Tensor> perSampleGradients(Tensor input, Tensor gradOutput) {
        if (isTraining()) {
            throw new IllegalStateException(notPerSample());
        }
        Tensor normalized = input.sub(input.channelView(runningMean.get()))
                .mul(input.channelView(runningVar.get().add(eps).pow(-0.5)));
        return PerSampleRules.channelAffine(normalized, gradOutput);
    }

    private static String notPerSample() {
        return "BatchNorm2d in training mode mixes the samples of a batch, so per-sample gradients are not defined: "
                + "put the batch-norm layers in evaluation mode (fixed statistics) first";
    }

    /** Folds the batch statistics the forward pass already computed into the running averages. */
    private void updateRunningStatistics(BatchNormResult batch, int perChannel) {
        try (GradMode.Scope off = GradMode.disabled()) {
            int channels = runningMean.shape().dim(0);
            Tensor mean = batch.mean().detach().reshape(channels);
            Tensor unbiasedVar = batch.variance().detach().reshape(channels).mul(perChannel / (perChannel - 1.0));
            runningMean.set(runningMean.get().mul(1 - momentum).add(mean.mul(momentum)));
            runningVar.set(runningVar.get().mul(1 - momentum).add(unbiasedVar.mul(momentum)));
            batchesTracked.set(batchesTracked.get().add(1));
        }
    }
}
