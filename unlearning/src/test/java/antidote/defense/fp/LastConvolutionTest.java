package antidote.defense.fp;

import antidote.data.Dataset;
import antidote.defense.Networks;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.nn.layer.Normalize;
import antidote.nn.model.PreActResNet18;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ranked activations of the last convolution and what pruning zeroes, in a hand-made SmallVgg and PreActResNet18. */
class LastConvolutionTest {
    private static final int CHANNELS = SmallVgg.FEATURE_CHANNELS;

    /**
     * A SmallVgg whose last batch norm has γ = 0 and β_c = the channel's place in a shuffled order, so channel c of
     * the ELU after it is the constant ELU(β_c) whatever the image: the ranking is known in advance.
     */
    private static Module handMade(double[] beta) {
        SmallVgg vgg = new SmallVgg(1, 8, 8, 10, new SplittableRandom(1));
        Map<String, Tensor> state = new LinkedHashMap<>(vgg.stateDict());
        state.put("features.20.weight", Tensor.zeros(CHANNELS));
        state.put("features.20.bias", Tensor.fromArray(beta, CHANNELS));
        vgg.loadStateDict(state);
        return new Sequential(new Normalize(new double[] {0.5}, new double[] {0.25}), vgg);
    }

    private static double[] shuffledBetas() {
        double[] beta = new double[CHANNELS];
        SplittableRandom rng = new SplittableRandom(7);
        for (int c = 0; c < CHANNELS; c++) {
            beta[c] = (c - CHANNELS / 2.0) / 16;
        }
        for (int i = CHANNELS - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = beta[i];
            beta[i] = beta[j];
            beta[j] = t;
        }
        return beta;
    }

    private static Dataset images(int n) {
        byte[] pixels = new byte[n * 64];
        new SplittableRandom(3).nextBytes(pixels);
        return Dataset.of("noise", pixels, new int[n], 1, 8, 8, Dataset.numberedClasses(10));
    }

    @Test
    void theLeastActiveChannelsComeFirst() {
        double[] beta = shuffledBetas();
        LastConvolution layer = LastConvolution.of(handMade(beta));
        double[] means = layer.meanActivations(images(5), 2);
        for (int c = 0; c < CHANNELS; c++) {
            double elu = beta[c] > 0 ? beta[c] : Math.expm1(beta[c]);
            assertEquals(elu, means[c], 1e-6, "channel " + c);
        }
        int[] ranked = FinePruning.ascending(means);
        for (int k = 1; k < CHANNELS; k++) {
            assertTrue(beta[ranked[k - 1]] < beta[ranked[k]], "ranked by beta at " + k);
        }
    }

    @Test
    void aPrunedChannelIsZeroDownstreamInBothModesAndInTheCheckpoint() {
        double[] beta = shuffledBetas();
        Module model = handMade(beta);
        float[] convBefore = Networks.network(model).stateDict().get("features.19.weight").toFloatArray();
        LastConvolution layer = LastConvolution.of(model);
        int[] pruned = {5, 17, 100};
        layer.prune(pruned);
        Map<String, Tensor> state = Networks.network(model).stateDict();
        for (String key : layer.keys()) {
            float[] w = state.get(key).toFloatArray();
            int perChannel = w.length / CHANNELS;
            for (int c : pruned) {
                for (int i = 0; i < perChannel; i++) {
                    assertEquals(0f, w[c * perChannel + i], key + " channel " + c);
                }
            }
        }
        assertNotEquals(0f, state.get("features.19.bias").toFloatArray()[6], "other channels keep their weights");
        Tensor x = Tensor.rand(new SplittableRandom(9), 4, 1, 8, 8);
        for (boolean training : new boolean[] {false, true}) {
            model.train(training);
            try (var off = GradMode.disabled()) {
                Tensor act = Networks.forwardTapped(model, x, "test").tap("features.21");
                float[] a = act.toFloatArray();
                int plane = act.dim(2) * act.dim(3);
                for (int n = 0; n < 4; n++) {
                    for (int c : pruned) {
                        for (int i = 0; i < plane; i++) {
                            assertEquals(0f, a[(n * CHANNELS + c) * plane + i], "mode training=" + training);
                        }
                    }
                }
            }
        }
        layer.prune(new int[0]);
        Map<String, Tensor> restored = Networks.network(model).stateDict();
        assertArrayEquals(convBefore, restored.get("features.19.weight").toFloatArray(), "pruning nothing restores");
        assertEquals((float) beta[5], restored.get("features.20.bias").toFloatArray()[5]);
    }

    @Test
    void preActResNetPrunesTheLastConvolutionAndTheClassifierColumn() {
        PreActResNet18 resnet = new PreActResNet18(3, 10, new SplittableRandom(1));
        LastConvolution layer = LastConvolution.of(resnet);
        assertEquals(List.of("layer4.1.conv2.weight", "linear.weight"), layer.keys());
        layer.prune(new int[] {3});
        float[] linear = resnet.stateDict().get("linear.weight").toFloatArray();
        for (int row = 0; row < 10; row++) {
            assertEquals(0f, linear[row * 512 + 3]);
            assertNotEquals(0f, linear[row * 512 + 4]);
        }
    }

    @Test
    void otherArchitecturesAreRefusedInOneLine() {
        Module linear = new Sequential(new Flatten(), new Linear(4, 2, true, new SplittableRandom(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LastConvolution.of(linear));
        assertTrue(e.getMessage().contains("small-vgg") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
