package antidote.nn.model;

import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.BatchNorm2d;
import antidote.nn.layer.Conv2d;
import antidote.nn.layer.Dropout;
import antidote.nn.layer.Elu;
import antidote.nn.layer.Linear;
import antidote.nn.layer.MaxPool2d;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simplified VGG of the I-BAU paper (Zeng et al., ICLR 2022, Table 9) as in its reference code: three
 * blocks of [Conv2d 3x3 padding 1 with bias → BatchNorm2d → ELU] x2 → MaxPool2d 2x2 → Dropout, with 32,
 * 64, 128 channels and dropout 0.3, 0.4, 0.4; then flatten and one Linear layer. Children are named
 * {@code features} (a Sequential, indices 0..23) and {@code classifier}; see the package documentation for
 * every state-dict key. Works for any input channels and any size of at least 8x8 (sizes are floored at
 * each pooling, as in PyTorch). As a {@link Tapped} model it reports the output of every layer of
 * {@code features} ({@code features.0} to {@code features.23}).
 */
public final class SmallVgg extends Module implements Tapped {
    private static final int[] CHANNELS = {32, 64, 128};
    private static final double[] DROPOUT = {0.3, 0.4, 0.4};
    /** Channels of the last convolution: the classifier sees this many per pooled position. */
    public static final int FEATURE_CHANNELS = CHANNELS[CHANNELS.length - 1];
    /** Each side shrinks by this factor (three 2x2 poolings, each flooring). */
    public static final int DOWNSAMPLING = 1 << CHANNELS.length;

    private final int[] inputShape;
    private final Sequential features;
    private final Linear classifier;

    /**
     * Initialises weights in layer order from {@code rng}, then gives each dropout layer its own split
     * generator.
     */
    public SmallVgg(int inChannels, int height, int width, int classes, SplittableRandom rng) {
        if (inChannels < 1 || height < 8 || width < 8 || classes < 1) {
            throw new IllegalArgumentException("SmallVgg: need channels >= 1, height and width >= 8 (three 2x2 "
                    + "poolings) and classes >= 1; got " + inChannels + "x" + height + "x" + width + ", "
                    + classes + " classes");
        }
        this.inputShape = new int[] {inChannels, height, width};
        List<Module> layers = new ArrayList<>();
        int in = inChannels;
        for (int block = 0; block < CHANNELS.length; block++) {
            for (int conv = 0; conv < 2; conv++) {
                layers.add(new Conv2d(in, CHANNELS[block], 3, 1, 1, true, rng));
                layers.add(new BatchNorm2d(CHANNELS[block]));
                layers.add(new Elu());
                in = CHANNELS[block];
            }
            layers.add(new MaxPool2d(2));
            layers.add(new Dropout(DROPOUT[block], rng.split()));
        }
        this.features = registerModule("features", new Sequential(layers.toArray(new Module[0])));
        this.classifier = registerModule("classifier", new Linear(classifierInputs(height, width), classes, true, rng));
    }

    /** The classifier's in-features for a height x width input: the channels at each pooled position. */
    public static int classifierInputs(int height, int width) {
        return FEATURE_CHANNELS * (height / DOWNSAMPLING) * (width / DOWNSAMPLING);
    }

    /** The [C, H, W] input shape the model was built for. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        return forwardRecording(x, null);
    }

    @Override
    public List<String> tapNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            names.add("features." + i);
        }
        return names;
    }

    /** The forward pass, recording each feature layer's output in {@code taps} when it is not null. */
    @Override
    public Tensor forwardRecording(Tensor x, Map<String, Tensor> taps) {
        if (x.rank() != 4 || !Arrays.equals(x.shape().dims(), 1, 4, inputShape, 0, 3)) {
            throw new IllegalArgumentException("SmallVgg: built for [N, " + inputShape[0] + ", " + inputShape[1]
                    + ", " + inputShape[2] + "] inputs, got " + x.shape());
        }
        Tensor out = x;
        for (int i = 0; i < features.size(); i++) {
            out = features.get(i).forward(out);
            if (taps != null) {
                taps.put("features." + i, out);
            }
        }
        return classifier.forward(out.flatten(1));
    }

    /** The flattened output of the feature blocks, the classifier's input: [N, 128 * (H/8) * (W/8)]. */
    public Tensor penultimate(Tensor x) {
        return features.forward(x).flatten(1);
    }
}
