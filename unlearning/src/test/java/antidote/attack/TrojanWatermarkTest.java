package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TrojanWatermarkTest {
    @Test
    void seededWatermarkIsSparseAndEqualOnEveryChannel() {
        ImageShape shape = new ImageShape(3, 64, 64);
        float[] pattern = new TrojanWatermark(2, TrojanWatermark.seeded(5)).pattern(shape);
        int plane = shape.planeSize();
        int covered = 0;
        for (int p = 0; p < plane; p++) {
            float v = pattern[p];
            assertTrue(v == 0f || v == TrojanWatermark.DEFAULT_INTENSITY, "value " + v);
            assertEquals(v, pattern[plane + p]);
            assertEquals(v, pattern[2 * plane + p]);
            covered += v > 0 ? 1 : 0;
        }
        double density = (double) covered / plane;
        assertTrue(density > 0.07 && density < 0.13, "density " + density + " should be near 0.1");
    }

    @Test
    void addsThePatternAndClips() {
        ImageShape shape = new ImageShape(1, 2, 2);
        TrojanWatermark attack = new TrojanWatermark(2, s -> new float[] {0.5f, 0f, 0f, 0.5f});
        assertArrayEquals(new float[] {1f, 0.75f, 0.1f, 0.6f},
                attack.apply(new float[] {0.75f, 0.75f, 0.1f, 0.1f}, shape, 0));
    }

    @Test
    void sameSeedSamePatternOtherSeedOtherPattern() {
        ImageShape shape = new ImageShape(3, 16, 16);
        float[] first = new TrojanWatermark(2, TrojanWatermark.seeded(1)).pattern(shape);
        assertArrayEquals(first, new TrojanWatermark(2, TrojanWatermark.seeded(1)).pattern(shape));
        assertFalse(Arrays.equals(first, new TrojanWatermark(2, TrojanWatermark.seeded(2)).pattern(shape)));
    }

    @Test
    void rejectsDensityOrIntensityOutsideTheirRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> TrojanWatermark.seeded(0, 0f, 0.5f));
        assertTrue(e.getMessage().contains("density 0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrojanWatermark.seeded(0, 0.1f, 2f));
    }
}
