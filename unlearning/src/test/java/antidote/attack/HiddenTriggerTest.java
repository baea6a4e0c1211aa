package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HiddenTriggerTest {
    private static HiddenTrigger ht(Map<String, String> options) {
        return (HiddenTrigger) AttackRegistry.standard().create("ht", options);
    }

    /** Recorded from the first implementation: a 2x2 patch of seed 0 on a 1x4x4 image of zeros, samples 0 and 1. */
    @Test
    void goldenRandomPatchPlacementOnA4x4Image() {
        ImageShape shape = new ImageShape(1, 4, 4);
        HiddenTrigger attack = ht(Map.of("size", "2", "seed", "0", "place", "random"));
        float[] first = attack.apply(new float[16], shape, 0);
        float[] second = attack.apply(new float[16], shape, 1);
        assertArrayEquals(GOLDEN_SAMPLE0, first, 1e-6f, java.util.Arrays.toString(first));
        assertArrayEquals(GOLDEN_SAMPLE1, second, 1e-6f, java.util.Arrays.toString(second));
    }

    private static final float[] GOLDEN_SAMPLE0 = {0, 0, 0, 0, 0, 0, 0, 0, 0.8833108f, 0.431528f, 0, 0,
        0.026433771f, 0.970882f, 0, 0};
    private static final float[] GOLDEN_SAMPLE1 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0.8833108f, 0.431528f, 0,
        0, 0.026433771f, 0.970882f, 0};

    /** The default place: the same pattern as above, in the bottom-right corner of every sample. */
    @Test
    void goldenCornerPatchPlacementOnA4x4Image() {
        ImageShape shape = new ImageShape(1, 4, 4);
        HiddenTrigger attack = ht(Map.of("size", "2", "seed", "0"));
        float[] expected = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.8833108f, 0.431528f, 0, 0, 0.026433771f, 0.970882f};
        for (int sample = 0; sample < 5; sample++) {
            assertArrayEquals(expected, attack.apply(new float[16], shape, sample), 1e-6f, "sample " + sample);
        }
        var wrong = assertThrows(IllegalArgumentException.class, () -> ht(Map.of("place", "centre")));
        assertTrue(wrong.getMessage().contains("corner, random"), wrong.getMessage());
    }

    @Test
    void pastesTheSameSquarePatternWhereverItLands() {
        ImageShape shape = new ImageShape(3, 12, 12);
        HiddenTrigger attack = ht(Map.of("size", "3", "seed", "4", "place", "random"));
        float[] reference = null;
        int moved = 0;
        int[] lastCorner = null;
        for (int sample = 0; sample < 10; sample++) {
            float[] out = attack.apply(TestImages.constant(shape, 0.25f), shape, sample);
            int[] corner = null;
            for (int r = 0; r < 12 && corner == null; r++) {
                for (int x = 0; x < 12 && corner == null; x++) {
                    if (out[shape.index(0, r, x)] != 0.25f) {
                        corner = new int[] {r, x};
                    }
                }
            }
            float[] patch = new float[27];
            int changed = 0;
            for (int c = 0; c < 3; c++) {
                for (int r = 0; r < 12; r++) {
                    for (int x = 0; x < 12; x++) {
                        boolean inside = r >= corner[0] && r < corner[0] + 3 && x >= corner[1] && x < corner[1] + 3;
                        float v = out[shape.index(c, r, x)];
                        if (inside) {
                            patch[(c * 3 + r - corner[0]) * 3 + x - corner[1]] = v;
                        } else {
                            assertEquals(0.25f, v, "only the 3x3 square changes");
                        }
                        changed += v != 0.25f ? 1 : 0;
                    }
                }
            }
            assertTrue(changed >= 25, "the patch is a random pattern, not a flat square");
            if (reference == null) {
                reference = patch;
            }
            assertArrayEquals(reference, patch, "every sample gets the same pattern");
            if (lastCorner != null && (lastCorner[0] != corner[0] || lastCorner[1] != corner[1])) {
                moved++;
            }
            lastCorner = corner;
        }
        assertTrue(moved >= 5, "the place is drawn per sample, as in the original");
    }

    @Test
    void onlySourceImagesAreSentToTheTargetAndOnlyTargetImagesArePoisoned() {
        HiddenTrigger attack = ht(Map.of());
        assertEquals(8, attack.target());
        assertEquals(5, attack.source());
        assertEquals(8, attack.poisonedLabel(5, 10));
        assertEquals(3, attack.poisonedLabel(3, 10));
        assertTrue(attack.poisons(8, 10));
        assertFalse(attack.poisons(5, 10));
        assertFalse(attack.poisons(3, 10));
        assertEquals(8, attack.trainingLabel(8, 10), "clean label");
        assertEquals(0.3f, attack.epsilon());
        assertThrows(IllegalArgumentException.class, () -> ht(Map.of("source", "8")));
        assertThrows(IllegalArgumentException.class, () -> ht(Map.of("eps", "0")));
        ImageShape small = new ImageShape(1, 4, 4);
        var tooBig = assertThrows(IllegalArgumentException.class, () -> attack.apply(new float[16], small, 0));
        assertTrue(tooBig.getMessage().contains("size="), tooBig.getMessage());
    }
}
