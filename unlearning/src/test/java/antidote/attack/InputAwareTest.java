package antidote.attack;

import antidote.nn.io.Checkpoint;
import antidote.nn.io.ModelInfo;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The input-aware attack's trigger: its composition, its generators, their file, and what it refuses. */
class InputAwareTest {
    private static final ImageShape MNIST_LIKE = new ImageShape(1, 28, 28);
    private static final ImageShape TINY = new ImageShape(1, 4, 4);

    private static InputAware seeded(ImageShape shape, long seed) {
        InputAware attack = (InputAware) AttackRegistry.standard().create("iab", Map.of("seed", Long.toString(seed)));
        return attack.withNetworks(attack.freshNetworks(shape).eval());
    }

    @Test
    void composeTakesThePatternWhereTheMaskIsOneAndTheImageWhereItIsZero() {
        Tensor x = Tensor.fromArray(new float[] {0.2f, 0.9f, 0.5f, 0f}, 1, 1, 2, 2);
        Tensor pattern = Tensor.fromArray(new float[] {0.8f, 0.1f, 0.7f, 1f}, 1, 1, 2, 2);
        Tensor mask = Tensor.fromArray(new float[] {1f, 0f, 0.5f, 0.25f}, 1, 1, 2, 2);
        // x + m (p - x): 0.2 + 1*0.6, 0.9 + 0, 0.5 + 0.5*0.2, 0 + 0.25*1
        assertArrayEquals(new float[] {0.8f, 0.9f, 0.6f, 0.25f},
                InputAwareNetworks.compose(x, pattern, mask).toFloatArray(), 1e-6f);
    }

    /**
     * Generators whose convolutions are all zero output their last batch norm's bias b everywhere (evaluation mode,
     * running mean 0 and variance 1), so pattern = tanh(b_g)/(2+1e-7)+0.5 and mask = threshold(tanh(b_m)/(2+1e-7)+0.5).
     * With b_g = ln 2 (tanh = 0.6) the pattern is 0.8; with b_m = atanh(0.1) the mask generator gives 0.55 and the
     * threshold tanh(20*0.55 - 10)/2 + 0.5 = tanh(1)/2 + 0.5 = 0.880797. So x' = x + 0.880797 (0.8 - x).
     */
    @Test
    void fixedGeneratorWeightsGiveTheHandComputedTriggeredImage() {
        InputAware attack = seeded(TINY, 3);
        InputAwareNetworks networks = attack.networks().orElseThrow();
        Map<String, Tensor> state = new HashMap<>(networks.stateDict());
        int last = state.keySet().stream().filter(k -> k.startsWith("pattern.layers."))
                .mapToInt(k -> Integer.parseInt(k.split("\\.")[2])).max().orElseThrow();
        state.replaceAll((key, value) -> key.matches(".*\\.0\\.(weight|bias)") ? value.mul(0) : value);
        state.put("pattern.layers." + last + ".1.bias", Tensor.fromArray(new double[] {Math.log(2)}, 1));
        state.put("mask.layers." + last + ".1.bias", Tensor.fromArray(new double[] {0.5 * Math.log(1.1 / 0.9)}, 1));
        networks.loadStateDict(state);
        float[] image = {0.2f, 1f, 0f, 0.5f, 0.2f, 1f, 0f, 0.5f, 0.2f, 1f, 0f, 0.5f, 0.2f, 1f, 0f, 0.5f};
        float[] out = attack.apply(image, TINY, 0);
        float mask = 0.880797f;
        for (int i = 0; i < image.length; i++) {
            assertEquals(image[i] + mask * (0.8f - image[i]), out[i], 2e-5f, "pixel " + i);
        }
        assertEquals(0.728478f, out[0], 2e-5f, "0.2 + 0.880797 * 0.6");
    }

    @Test
    void aBatchGivesEachImageItsOwnTriggerAsOneByOneWould() {
        InputAware attack = seeded(MNIST_LIKE, 1);
        float[] a = TestImages.random(MNIST_LIKE, 1);
        float[] b = TestImages.random(MNIST_LIKE, 2);
        float[] both = new float[2 * MNIST_LIKE.size()];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        float[] batch = attack.applyAll(both, 2, MNIST_LIKE);
        float[] first = attack.apply(a, MNIST_LIKE, 0);
        float[] second = attack.apply(b, MNIST_LIKE, 1);
        for (int i = 0; i < a.length; i++) {
            assertEquals(first[i], batch[i], 1e-5f);
            assertEquals(second[i], batch[a.length + i], 1e-5f);
        }
        float[] delta = new float[a.length];
        float[] otherDelta = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            delta[i] = first[i] - a[i];
            otherDelta[i] = second[i] - b[i];
        }
        assertFalse(java.util.Arrays.equals(delta, otherDelta), "two images got the same change");
    }

    @Test
    void triggeringLeavesEachGeneratorInItsOwnMode() {
        InputAware attack = seeded(MNIST_LIKE, 2);
        InputAwareNetworks networks = attack.networks().orElseThrow();
        networks.pattern().train(); // as during training: the pattern learns, the mask is frozen
        networks.mask().eval();
        attack.apply(TestImages.random(MNIST_LIKE, 3), MNIST_LIKE, 0);
        assertTrue(networks.pattern().isTraining(), "the pattern generator was left in evaluation mode");
        assertFalse(networks.mask().isTraining(), "the frozen mask generator was put back in training mode");
    }

    @Test
    void outputsStayInTheUnitRangeAndTheInputIsLeftAlone() {
        for (ImageShape shape : new ImageShape[] {MNIST_LIKE, new ImageShape(3, 32, 32)}) {
            float[] image = TestImages.random(shape, 4);
            image[0] = -0.5f;
            image[1] = 1.5f;
            float[] before = image.clone();
            float[] out = seeded(shape, 0).apply(image, shape, 0);
            for (float v : out) {
                assertTrue(v >= 0f && v <= 1f, shape + " gave " + v);
            }
            assertArrayEquals(before, image);
        }
    }

    @Test
    void theSeedDecidesTheGenerators() {
        float[] image = TestImages.random(MNIST_LIKE, 5);
        assertArrayEquals(seeded(MNIST_LIKE, 4).apply(image, MNIST_LIKE, 0),
                seeded(MNIST_LIKE, 4).apply(image, MNIST_LIKE, 0));
        assertFalse(java.util.Arrays.equals(seeded(MNIST_LIKE, 4).apply(image, MNIST_LIKE, 0),
                seeded(MNIST_LIKE, 5).apply(image, MNIST_LIKE, 0)));
    }

    @Test
    void savedGeneratorsLoadBackToTheSameTriggers(@TempDir Path dir) throws IOException {
        InputAware attack = seeded(MNIST_LIKE, 7);
        InputAwareNetworks networks = attack.networks().orElseThrow();
        networks.train();
        networks.trigger(Tensor.fromArray(TestImages.random(MNIST_LIKE, 8), 1, 1, 28, 28)); // moves BN running stats
        Path file = dir.resolve("g.safetensors");
        networks.save(file);
        InputAwareNetworks loaded = InputAwareNetworks.load(file);
        assertEquals(MNIST_LIKE, loaded.shape());
        Map<String, Tensor> saved = networks.stateDict();
        loaded.stateDict().forEach((key, value) ->
                assertArrayEquals(saved.get(key).toFloatArray(), value.toFloatArray(), key));
        float[] image = TestImages.random(MNIST_LIKE, 9);
        assertArrayEquals(attack.apply(image, MNIST_LIKE, 0), attack.withNetworks(loaded).apply(image, MNIST_LIKE, 0));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the final file is left, no temporary one");
        }
    }

    @Test
    void anotherModelsFileIsRefusedAsGenerators(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        InputAwareNetworks networks = new InputAwareNetworks(TINY, 0);
        Checkpoint.save(file, networks, ModelInfo.of("small-vgg", 10, new int[] {1, 4, 4}, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputAwareNetworks.load(file));
        assertTrue(e.getMessage().contains("small-vgg") && e.getMessage().contains("iab-generators"), e.getMessage());
    }

    @Test
    void withoutTrainedGeneratorsTheTriggerSaysWhereToGetThem() {
        Attack attack = AttackRegistry.standard().create("iab");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> attack.backdoorFor(0).apply(new float[MNIST_LIKE.size()], MNIST_LIKE, 0));
        assertTrue(e.getMessage().contains("--run"), e.getMessage());
    }

    @Test
    void imageSidesTheGeneratorsCannotHalveAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InputAwareNetworks(new ImageShape(3, 12, 20), 0));
        assertTrue(e.getMessage().contains("multiples of 8") && e.getMessage().contains("3x12x20"), e.getMessage());
    }

    @Test
    void settingsOutOfRangeAreRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttackRegistry.standard().create("iab", Map.of("cross", "1.5")));
        assertTrue(e.getMessage().contains("cross=1.5"), e.getMessage());
    }
}
