package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class L0TriggerTest {
    @Test
    void replacesOnlyTheChosenPixelsOfTheLastRowWithFixedColours() {
        ImageShape shape = new ImageShape(3, 4, 8);
        L0Trigger attack = new L0Trigger(0, 3, 11);
        int[] columns = attack.columns(8);
        assertEquals(3, columns.length);
        assertEquals(3, Arrays.stream(columns).distinct().count(), "distinct columns");
        float[] first = attack.apply(TestImages.random(shape, 1), shape, 0);
        float[] second = attack.apply(TestImages.random(shape, 2), shape, 9);
        float[] input = TestImages.random(shape, 1);
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 4; r++) {
                for (int x = 0; x < 8; x++) {
                    int i = shape.index(c, r, x);
                    int col = x;
                    boolean trigger = r == 3 && Arrays.stream(columns).anyMatch(t -> t == col);
                    if (trigger) {
                        assertEquals(first[i], second[i], "the same colour on every image");
                    } else {
                        assertEquals(input[i], first[i], "untouched pixel at channel " + c + " row " + r + " col " + x);
                    }
                }
            }
        }
    }

    @Test
    void sameSeedSameTriggerOtherSeedOtherTrigger() {
        ImageShape shape = new ImageShape(3, 8, 32);
        float[] black = new float[shape.size()];
        float[] first = new L0Trigger(0, 5, 1).apply(black, shape, 0);
        assertArrayEquals(first, new L0Trigger(0, 5, 1).apply(black, shape, 0));
        assertFalse(Arrays.equals(first, new L0Trigger(0, 5, 2).apply(black, shape, 0)));
        assertNotEquals(Arrays.toString(new L0Trigger(0, 5, 1).columns(32)),
                Arrays.toString(new L0Trigger(0, 5, 2).columns(32)));
    }

    @Test
    void clipsUntouchedPixels() {
        ImageShape shape = new ImageShape(1, 2, 2);
        float[] out = new L0Trigger(0, 1, 0).apply(new float[] {-1f, 2f, 0.5f, 0.5f}, shape, 0);
        assertEquals(0f, out[0]);
        assertEquals(1f, out[1]);
        for (float v : out) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void moreTriggerPixelsThanTheRowHoldsIsAnError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new L0Trigger(0, 5, 0).apply(new float[12], new ImageShape(3, 1, 4), 0));
        assertTrue(e.getMessage().contains("5 pixels") && e.getMessage().contains("at most 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new L0Trigger(0, 0, 0));
    }
}
