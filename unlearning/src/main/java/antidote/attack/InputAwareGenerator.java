package antidote.attack;

import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.BatchNorm2d;
import antidote.nn.layer.Conv2d;
import antidote.nn.layer.MaxPool2d;
import antidote.nn.layer.Relu;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The encoder-decoder of the input-aware attack (Nguyen and Tran, NeurIPS 2020, the {@code Generator} of their code):
 * {@code steps} times two [conv 3x3 → batch norm → ReLU] blocks and a 2x2 max pooling, doubling the channels from
 * {@code 16} (one input channel, MNIST-like: 2 steps) or {@code 32} (CIFAR-like: 3 steps); a middle block; then
 * {@code steps} times a 2x upsampling and two blocks back down to {@code outChannels}, the very last block without
 * ReLU; finally {@code tanh(y) / (2 + 1e-7) + 0.5}, so every output lies in (0, 1). The original upsamples
 * bilinearly; this one repeats each pixel (nearest neighbour), the engine's composite of reshape and expand, which
 * keeps the shapes and lets the decoder learn the same maps.
 */
public final class InputAwareGenerator extends Module {
    /** The original's ε in {@code tanh(y) / (2 + ε) + 0.5}, which keeps the output strictly inside (0, 1). */
    static final double EPSILON = 1e-7;
    /** Batch-norm momentum of the original's convolution blocks. */
    private static final double BN_MOMENTUM = 0.05;
    private static final double BN_EPS = 1e-5;

    private final Sequential layers;
    private final int downsampling;

    /**
     * A generator for images of {@code shape} with {@code outChannels} output channels (the image's own for the
     * pattern, 1 for the mask), its weights drawn from {@code rng}; the sides must be multiples of 4 (one channel)
     * or 8 (more channels), the poolings' total factor.
     */
    public InputAwareGenerator(ImageShape shape, int outChannels, SplittableRandom rng) {
        boolean mnistLike = shape.channels() == 1;
        int steps = mnistLike ? 2 : 3;
        this.downsampling = 1 << steps;
        if (shape.height() % downsampling != 0 || shape.width() % downsampling != 0) {
            throw new IllegalArgumentException("the input-aware attack's generators need image sides that are "
                    + "multiples of " + downsampling + " (" + steps + " 2x2 poolings for " + shape.channels()
                    + "-channel images); " + shape + " is not: resize the images, e.g. to 28x28 or 32x32");
        }
        List<Module> all = new ArrayList<>();
        int current = shape.channels();
        int next = mnistLike ? 16 : 32;
        for (int step = 0; step < steps; step++) {
            all.add(block(current, next, true, rng));
            all.add(block(next, next, true, rng));
            all.add(new MaxPool2d(2));
            if (step < steps - 1) {
                current = next;
                next *= 2;
            }
        }
        all.add(block(next, next, true, rng));
        current = next;
        next = current / 2;
        for (int step = 0; step < steps; step++) {
            all.add(new Upsample2x());
            all.add(block(current, current, true, rng));
            all.add(block(current, next, step < steps - 1, rng));
            current = next;
            next = step == steps - 2 ? outChannels : next / 2;
        }
        this.layers = registerModule("layers", new Sequential(all.toArray(new Module[0])));
    }

    /** Conv 3x3 (padding 1, bias) → batch norm → ReLU (left out where {@code relu} is false). */
    private static Sequential block(int in, int out, boolean relu, SplittableRandom rng) {
        Conv2d conv = new Conv2d(in, out, 3, 1, 1, true, rng);
        BatchNorm2d norm = new BatchNorm2d(out, BN_EPS, BN_MOMENTUM);
        return relu ? new Sequential(conv, norm, new Relu()) : new Sequential(conv, norm);
    }

    /** The side factor of the poolings: 4 for one-channel images, 8 otherwise. */
    int downsampling() {
        return downsampling;
    }

    @Override
    public Tensor forward(Tensor x) {
        return squash(layers.forward(x));
    }

    /** {@code tanh(y) / (2 + ε) + 0.5}: the original's map of the decoder's output into (0, 1). */
    static Tensor squash(Tensor y) {
        return y.tanh().div(2 + EPSILON).add(0.5);
    }

    /** Each pixel repeated into a 2x2 square: [N, C, H, W] → [N, C, 2H, 2W]. */
    private static final class Upsample2x extends Module {
        @Override
        public Tensor forward(Tensor x) {
            int[] d = x.shape().dims();
            return x.reshape(d[0], d[1], d[2], 1, d[3], 1).expand(d[0], d[1], d[2], 2, d[3], 2)
                    .reshape(d[0], d[1], 2 * d[2], 2 * d[3]);
        }
    }
}
