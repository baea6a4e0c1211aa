package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every registered attack promises, checked on images of several shapes. */
class AttackContractTest {
    private static final ImageShape[] SHAPES = {
        new ImageShape(3, 32, 32), new ImageShape(1, 28, 28), new ImageShape(3, 12, 20), new ImageShape(4, 9, 9)};
    private static final Set<String> UNSEEDED = Set.of("badnets", "sig", "all-to-all");

    /** Every attack but iab, whose trigger needs trained generators; InputAwareTest checks it on seeded ones. */
    static Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>(AttackRegistry.standard().names());
        names.remove(InputAware.NAME);
        return names;
    }

    @ParameterizedTest
    @MethodSource("names")
    void outputsAFreshImageInTheUnitRangeAndLeavesTheInputAlone(String name) {
        Attack attack = AttackRegistry.standard().create(name);
        for (ImageShape shape : SHAPES) {
            float[] image = TestImages.random(shape, 1);
            image[0] = -0.5f;
            image[1] = 1.5f;
            float[] before = image.clone();
            for (int i = 0; i < 20; i++) {
                float[] out = attack.backdoorFor(i).apply(image, shape, i);
                assertEquals(shape.size(), out.length);
                for (float v : out) {
                    assertTrue(v >= 0f && v <= 1f, name + " on " + shape + " gave " + v);
                }
                assertArrayEquals(before, image, name + " changed its input");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void theSameSeedGivesTheSameImagesAndAnotherSeedOthers(String name) {
        ImageShape shape = new ImageShape(3, 32, 32);
        float[] image = TestImages.random(shape, 2);
        float[] first = triggeredSet(name, "4", shape, image);
        assertArrayEquals(first, triggeredSet(name, "4", shape, image), name + " is not reproducible");
        float[] otherSeed = triggeredSet(name, "5", shape, image);
        if (UNSEEDED.contains(name)) {
            assertArrayEquals(first, otherSeed, name + " has no randomness, so it accepts and ignores a seed");
        } else {
            assertFalse(Arrays.equals(first, otherSeed), name + " ignores its seed");
        }
    }

    /** Samples 0..9 triggered by a fresh attack built with {@code seed}, concatenated. */
    private static float[] triggeredSet(String name, String seed, ImageShape shape, float[] image) {
        Attack attack = AttackRegistry.standard().create(name, Map.of("seed", seed));
        float[] all = new float[10 * shape.size()];
        for (int i = 0; i < 10; i++) {
            System.arraycopy(attack.backdoorFor(i).apply(image, shape, i), 0, all, i * shape.size(), shape.size());
        }
        return all;
    }
}
