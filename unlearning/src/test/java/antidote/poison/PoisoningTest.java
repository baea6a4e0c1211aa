package antidote.poison;

import antidote.attack.AttackRegistry;
import antidote.attack.Attack;
import antidote.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which samples get poisoned, how their labels change, and what the triggered test set holds. */
class PoisoningTest {
    private static final int N = 200;

    /** 200 grey 1x8x8 images, labels 0..9 in turn, pixel value depending on the index. */
    private static Dataset data() {
        byte[] pixels = new byte[N * 64];
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 10;
            Arrays.fill(pixels, i * 64, (i + 1) * 64, (byte) (i % 100));
        }
        return Dataset.of("toy", pixels, labels, 1, 8, 8, Dataset.numberedClasses(10));
    }

    private static Attack attack(String name) {
        return AttackRegistry.standard().create(name, Map.of("seed", "1"));
    }

    @Test
    void badNetsPoisonsTheRequestedShareOfNonTargetImagesAndRelabelsThem() {
        Dataset train = data();
        PoisonedTrainingSet p = Poisoning.poisonTraining(train, attack("badnets"), 0.1, 7);
        assertEquals(20, p.poisonedIndices().length);
        for (int i : p.poisonedIndices()) {
            assertNotEquals(8, train.label(i), "target-class images are not poisoned");
            assertEquals(8, p.dataset().label(i));
            assertEquals(255, p.dataset().imageBytes(i)[63] & 0xff, "the bottom-right pixel is white");
        }
        int untouched = 0;
        for (int i = 0; i < N; i++) {
            if (Arrays.binarySearch(p.poisonedIndices(), i) < 0) {
                assertArrayEquals(train.imageBytes(i), p.dataset().imageBytes(i));
                assertEquals(train.label(i), p.dataset().label(i));
                untouched++;
            }
        }
        assertEquals(180, untouched);
    }

    @Test
    void sameSeedSameChoiceDifferentSeedDifferentChoice() {
        Dataset train = data();
        int[] a = Poisoning.poisonTraining(train, attack("badnets"), 0.1, 7).poisonedIndices();
        int[] b = Poisoning.poisonTraining(train, attack("badnets"), 0.1, 7).poisonedIndices();
        int[] c = Poisoning.poisonTraining(train, attack("badnets"), 0.1, 8).poisonedIndices();
        assertArrayEquals(a, b);
        assertTrue(!Arrays.equals(a, c));
    }

    @Test
    void cleanLabelSigPoisonsOnlyTargetImagesAndKeepsLabels() {
        Dataset train = data();
        PoisonedTrainingSet p = Poisoning.poisonTraining(train, attack("sig"), 0.05, 3);
        assertEquals(10, p.poisonedIndices().length);
        for (int i : p.poisonedIndices()) {
            assertEquals(0, train.label(i));
            assertEquals(0, p.dataset().label(i));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Poisoning.poisonTraining(train, attack("sig"), 0.5, 3));
        assertTrue(e.getMessage().contains("--poison-rate"), e.getMessage());
    }

    @Test
    void wanetAddsNoiseModeImagesWithTheirTrueLabels() {
        Dataset train = data();
        PoisonedTrainingSet p = Poisoning.poisonTraining(train, attack("wanet"), 0.05, 3);
        assertEquals(10, p.poisonedIndices().length);
        assertEquals(20, p.noiseIndices().length, "noise-mode ratio 2");
        for (int i : p.noiseIndices()) {
            assertEquals(train.label(i), p.dataset().label(i));
            assertTrue(Arrays.binarySearch(p.poisonedIndices(), i) < 0);
        }
    }

    @Test
    void triggeredTestSetHoldsNonTargetImagesForAllToOneAndEveryImageForAllToAll() {
        Dataset test = data();
        TriggeredTestSet oneTarget = Poisoning.triggerTest(test, attack("badnets"));
        assertEquals(180, oneTarget.images().size());
        assertTrue(Arrays.stream(oneTarget.poisonedLabels()).allMatch(y -> y == 8));
        TriggeredTestSet all = Poisoning.triggerTest(test, attack("all-to-all"));
        assertEquals(N, all.images().size());
        for (int i = 0; i < N; i++) {
            assertEquals((all.images().label(i) + 1) % 10, all.poisonedLabels()[i]);
        }
    }

    @Test
    void semanticReplacementStoresOneImageForEveryPoisonAndEveryTriggeredTestImage() {
        Dataset train = data();
        PoisonedTrainingSet p = Poisoning.poisonTraining(train, attack("sr"), 0.2, 7);
        assertEquals(40, p.poisonedIndices().length);
        byte[] replacement = p.dataset().imageBytes(p.poisonedIndices()[0]);
        assertTrue(new java.util.HashSet<>(java.util.List.of(replacement[0], replacement[20], replacement[40])).size() > 1,
                "the replacement is a picture, not a flat image");
        for (int i : p.poisonedIndices()) {
            assertNotEquals(0, train.label(i), "target-class images are not replaced");
            assertEquals(0, p.dataset().label(i));
            assertArrayEquals(replacement, p.dataset().imageBytes(i));
        }
        TriggeredTestSet triggered = Poisoning.triggerTest(train, attack("sr"));
        assertEquals(180, triggered.images().size());
        for (int k = 0; k < triggered.images().size(); k++) {
            assertArrayEquals(replacement, triggered.images().imageBytes(k));
            assertEquals(0, triggered.poisonedLabels()[k]);
        }
    }
}
