package antidote.defense.fp;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.defense.Networks;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.nn.model.PreActResNet18;
import antidote.nn.model.SmallVgg;
import antidote.poison.TrainingMemory;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels Fine-Pruning ranks and prunes: the output channels of the network's last convolution. Pruning a
 * channel zeroes the weights that carry it downstream, so the checkpoint holds plain zeros that PyTorch loads:
 * <ul>
 * <li>SmallVgg: the last Conv2d ({@code features.19}) weight rows and bias, and the affine weight and bias of the
 * BatchNorm2d after it ({@code features.20}). Zeroing the convolution alone would not do: batch norm maps a zero
 * channel to −γ·mean/σ + β, which is not zero; with γ = β = 0 it outputs zero in both modes, ELU(0) = 0, and the
 * pooled zeros reach the classifier as nothing. The ranked activation is the ELU's output ({@code features.21}).</li>
 * <li>PreActResNet18: the last convolution ({@code layer4.1.conv2}) output rows and the classifier's input column
 * ({@code linear.weight[:, c]}): the residual sum carries channel c of the block's input past the convolution,
 * so only the classifier column removes the channel from the logits (the final {@code bn}'s affine too, when the
 * model has one). The ranked activation is the last block's output ({@code layer4}), as in BackdoorBench.</li>
 * </ul>
 * Originals are kept, so any set of pruned channels can be applied and the pruning re-applied after an optimizer step.
 */
final class LastConvolution {
    /** One weight tensor and the axis along which it holds the pruned channels. */
    private record Slice(String key, Parameter parameter, int axis, Tensor original) {
    }

    private final Module model;
    private final String tap;
    private final int channels;
    private final List<Slice> slices;
    private Tensor[] masks; // per slice: 1 where the channel is kept, broadcastable along its axis

    private LastConvolution(Module model, String tap, int channels, Map<String, Integer> axes) {
        this.model = model;
        this.tap = tap;
        this.channels = channels;
        Map<String, Parameter> params = Networks.network(model).namedParameters();
        List<Slice> list = new ArrayList<>();
        axes.forEach((key, axis) -> {
            Parameter p = params.get(key);
            list.add(new Slice(key, p, axis, p.get().detach()));
        });
        this.slices = List.copyOf(list);
    }

    /** The last convolution of {@code model}'s network, or a one-line error for an architecture it does not know. */
    static LastConvolution of(Module model) {
        Module network = Networks.network(model);
        Map<String, Integer> axes = new LinkedHashMap<>();
        if (network instanceof SmallVgg) {
            axes.put("features.19.weight", 0);
            axes.put("features.19.bias", 0);
            axes.put("features.20.weight", 0);
            axes.put("features.20.bias", 0);
            return new LastConvolution(model, "features.21", SmallVgg.FEATURE_CHANNELS, axes);
        }
        if (network instanceof PreActResNet18) {
            axes.put("layer4.1.conv2.weight", 0);
            if (network.namedParameters().containsKey("bn.weight")) {
                axes.put("bn.weight", 0);
                axes.put("bn.bias", 0);
            }
            axes.put("linear.weight", 1);
            return new LastConvolution(model, "layer4", PreActResNet18.FEATURES, axes);
        }
        throw new IllegalArgumentException("Fine-Pruning knows the last convolution of SmallVgg and PreActResNet18, not "
                + network.getClass().getSimpleName() + "; use --arch small-vgg or preact-resnet18");
    }

    int channels() {
        return channels;
    }

    /** The state-dict keys that pruning zeroes. */
    List<String> keys() {
        return slices.stream().map(Slice::key).toList();
    }

    /** Each channel's activation averaged over the images and positions (evaluation mode, no graph). */
    double[] meanActivations(Dataset images, int batchSize) {
        double[] sum = new double[channels];
        long values = 0;
        boolean training = model.isTraining();
        model.eval();
        Loader loader = Loader.over(images).batchSize(batchSize).shuffle(false).build();
        // Nothing a batch allocates on the device outlives it (evaluation mode: the model's state is fixed).
        StepMemory memory = TrainingMemory.of(model);
        try (var off = GradMode.disabled(); Epoch epoch = loader.epoch(0)) {
            for (Batch batch : epoch) {
                ChannelSums sums = memory.call(() -> {
                    Tensor activation = Networks.forwardTapped(model, batch.images(), "Fine-Pruning").tap(tap);
                    return new ChannelSums(activation.sum(false, 0, 2, 3).toDoubleArray(),
                            (long) activation.size() / channels);
                });
                double[] perChannel = sums.perChannel();
                values += sums.values();
                for (int c = 0; c < channels; c++) {
                    sum[c] += perChannel[c];
                }
            }
        } finally {
            model.train(training);
        }
        long count = values;
        return Arrays.stream(sum).map(s -> s / count).toArray();
    }

    /** One batch's activation summed per channel, and how many values each channel's sum adds up. */
    private record ChannelSums(double[] perChannel, long values) {
    }

    /** Sets the weights to their originals with {@code pruned} channels zeroed; no channel pruned restores them. */
    void prune(int[] pruned) {
        float[] keep = new float[channels];
        Arrays.fill(keep, 1);
        for (int c : pruned) {
            keep[c] = 0;
        }
        masks = new Tensor[slices.size()];
        for (int i = 0; i < slices.size(); i++) {
            Slice s = slices.get(i);
            int[] dims = new int[s.original().rank()];
            Arrays.fill(dims, 1);
            dims[s.axis()] = channels;
            masks[i] = Tensor.fromArray(keep, Shape.of(dims), s.original().device()).to(s.original().dtype()).gt(0.5);
        }
        apply(true);
    }

    /** Zeroes the pruned channels again in the current weights (after an optimizer step moved them). */
    void keepPruned() {
        apply(false);
    }

    private void apply(boolean fromOriginals) {
        try (var off = GradMode.disabled()) {
            for (int i = 0; i < slices.size(); i++) {
                Slice s = slices.get(i);
                Tensor base = fromOriginals ? s.original() : s.parameter().get().detach();
                // A select rather than a product: −w·0 would store −0.0 in the checkpoint.
                s.parameter().set(masks[i].where(base, base.zerosLike()).detach().withGrad());
            }
        }
    }
}
