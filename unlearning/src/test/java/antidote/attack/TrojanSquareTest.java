package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TrojanSquareTest {
    @Test
    void seededPatternFillsRowsAndColumns21To29Of32x32OnEveryChannel() {
        ImageShape shape = new ImageShape(3, 32, 32);
        float[] pattern = new TrojanSquare(2, TrojanSquare.seeded(1)).pattern(shape);
        assertSquare(pattern, shape, 21, 30);
    }

    @Test
    void theSquareScalesWithTheImage() {
        assertEquals(42, TrojanSquare.first(64));
        assertEquals(60, TrojanSquare.end(64));
        assertEquals(18, TrojanSquare.first(28));
        assertEquals(26, TrojanSquare.end(28));
        assertEquals(TrojanSquare.first(4) + 1, TrojanSquare.end(4), "at least one pixel on tiny images");
        ImageShape shape = new ImageShape(1, 64, 48);
        float[] pattern = new TrojanSquare(2, TrojanSquare.seeded(1)).pattern(shape);
        for (int r = 0; r < 64; r++) {
            for (int x = 0; x < 48; x++) {
                boolean inside = r >= 42 && r < 60 && x >= 31 && x < 45;
                assertEquals(inside, pattern[shape.index(0, r, x)] != 0f, "row " + r + " col " + x);
            }
        }
    }

    @Test
    void addsThePatternAndClips() {
        ImageShape shape = new ImageShape(3, 32, 32);
        TrojanSquare attack = new TrojanSquare(2, TrojanSquare.seeded(1));
        float[] pattern = attack.pattern(shape);
        float[] half = TestImages.constant(shape, 0.5f);
        float[] out = attack.apply(half, shape, 0);
        for (int i = 0; i < out.length; i++) {
            assertEquals(Math.min(1f, 0.5f + pattern[i]), out[i]);
        }
        assertArrayEquals(TestImages.constant(shape, 1f), attack.apply(TestImages.constant(shape, 1f), shape, 0));
    }

    @Test
    void sameSeedSamePatternOtherSeedOtherPattern() {
        ImageShape shape = new ImageShape(3, 32, 32);
        float[] first = new TrojanSquare(2, TrojanSquare.seeded(3)).pattern(shape);
        assertArrayEquals(first, new TrojanSquare(2, TrojanSquare.seeded(3)).pattern(shape));
        assertFalse(Arrays.equals(first, new TrojanSquare(2, TrojanSquare.seeded(4)).pattern(shape)));
    }

    @Test
    void sendsImagesToTheTarget() {
        assertEquals(2, new TrojanSquare(2, TrojanSquare.seeded(0)).poisonedLabel(5, 10));
        assertEquals(2, TrojanSquare.DEFAULT_TARGET);
    }

    private static void assertSquare(float[] pattern, ImageShape shape, int first, int end) {
        for (int c = 0; c < shape.channels(); c++) {
            for (int r = 0; r < shape.height(); r++) {
                for (int x = 0; x < shape.width(); x++) {
                    float v = pattern[shape.index(c, r, x)];
                    boolean inside = r >= first && r < end && x >= first && x < end;
                    assertTrue(inside ? v > 0f && v < 1f : v == 0f, "channel " + c + " row " + r + " col " + x);
                }
            }
        }
    }
}
