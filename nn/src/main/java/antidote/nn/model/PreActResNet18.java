package antidote.nn.model;

import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.AdaptiveAvgPool2d;
import antidote.nn.layer.BatchNorm2d;
import antidote.nn.layer.Conv2d;
import antidote.nn.layer.Linear;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * PreActResNet-18, BackdoorBench's default model: conv1 3x3 64 (no bias), layer1..layer4 of two
 * {@link PreActBlock}s each (64, 128, 256, 512 planes; strides 1, 2, 2, 2), adaptive average pooling to
 * 1x1 ({@code avgpool}), and {@code linear} to the classes. Any input size works; see the package
 * documentation for every state-dict key. BackdoorBench's file has no normalisation after the last block; some
 * copies of the pre-activation ResNet (and checkpoints made with them) add {@code bn}, a BatchNorm2d(512)
 * followed by ReLU before the pooling: {@code finalNorm} builds that variant, so that such state dicts load too.
 * As a {@link Tapped} model it reports the outputs of {@code conv1} and {@code layer1} to {@code layer4}.
 */
public final class PreActResNet18 extends Module implements Tapped {
    private static final int[] PLANES = {64, 128, 256, 512};
    private static final int[] STRIDES = {1, 2, 2, 2};
    /** The features {@code linear} classifies: the channels of the last block, averaged over positions. */
    public static final int FEATURES = PLANES[PLANES.length - 1];

    private final Conv2d conv1;
    private final Sequential[] layers = new Sequential[PLANES.length];
    private final BatchNorm2d bn;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear linear;

    /** BackdoorBench's model, every layer initialised in order from {@code rng}; BackdoorBench uses 3 input channels. */
    public PreActResNet18(int inChannels, int classes, RandomGenerator rng) {
        this(inChannels, classes, false, rng);
    }

    /** As above, with the final {@code bn} and ReLU after the last block when {@code finalNorm} is set. */
    public PreActResNet18(int inChannels, int classes, boolean finalNorm, RandomGenerator rng) {
        this.conv1 = registerModule("conv1", new Conv2d(inChannels, PLANES[0], 3, 1, 1, false, rng));
        int in = PLANES[0];
        for (int i = 0; i < PLANES.length; i++) {
            PreActBlock first = new PreActBlock(in, PLANES[i], STRIDES[i], rng);
            PreActBlock second = new PreActBlock(PLANES[i], PLANES[i], 1, rng);
            layers[i] = registerModule("layer" + (i + 1), new Sequential(first, second));
            in = PLANES[i];
        }
        this.bn = finalNorm ? registerModule("bn", new BatchNorm2d(in)) : null;
        this.avgpool = registerModule("avgpool", new AdaptiveAvgPool2d());
        this.linear = registerModule("linear", new Linear(in, classes, true, rng));
    }

    @Override
    public Tensor forward(Tensor x) {
        return forwardRecording(x, null);
    }

    @Override
    public List<String> tapNames() {
        List<String> names = new ArrayList<>(List.of("conv1"));
        for (int i = 0; i < layers.length; i++) {
            names.add("layer" + (i + 1));
        }
        return names;
    }

    /** The forward pass, recording the outputs of conv1 and each layer in {@code taps} when it is not null. */
    @Override
    public Tensor forwardRecording(Tensor x, Map<String, Tensor> taps) {
        Tensor out = conv1.forward(x);
        if (taps != null) {
            taps.put("conv1", out);
        }
        for (int i = 0; i < layers.length; i++) {
            out = layers[i].forward(out);
            if (taps != null) {
                taps.put("layer" + (i + 1), out);
            }
        }
        if (bn != null) {
            out = bn.forward(out).relu();
        }
        return linear.forward(avgpool.forward(out).flatten(1));
    }
}
