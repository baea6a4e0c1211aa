package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BadNetsTest {
    @Test
    void defaultSquareIsWhite3x3InTheBottomRightCornerOfEveryChannel() {
        ImageShape shape = new ImageShape(2, 5, 5);
        float[] image = TestImages.constant(shape, 0.25f);
        float[] out = new BadNets(1).apply(image, shape, 0);
        for (int c = 0; c < 2; c++) {
            for (int r = 0; r < 5; r++) {
                for (int x = 0; x < 5; x++) {
                    float expected = r >= 2 && x >= 2 ? 1f : 0.25f;
                    assertEquals(expected, out[shape.index(c, r, x)], "channel " + c + " row " + r + " col " + x);
                }
            }
        }
        assertArrayEquals(TestImages.constant(shape, 0.25f), image, "the input must not change");
    }

    @Test
    void defaultCoversRowsAndColumns29To31Of32x32() {
        ImageShape shape = new ImageShape(3, 32, 32);
        float[] out = new BadNets(8).apply(new float[shape.size()], shape, 0);
        for (int r = 0; r < 32; r++) {
            for (int x = 0; x < 32; x++) {
                assertEquals(r >= 29 && x >= 29 ? 1f : 0f, out[shape.index(2, r, x)]);
            }
        }
    }

    @Test
    void sizePositionAndValueAreConfigurable() {
        ImageShape shape = new ImageShape(1, 4, 6);
        float[] out = new BadNets(0, new SquarePatch(2, 1, 3, 0.5f)).apply(new float[shape.size()], shape, 0);
        float[] expected = {
            0, 0, 0, 0, 0, 0,
            0, 0, 0, 0.5f, 0.5f, 0,
            0, 0, 0, 0.5f, 0.5f, 0,
            0, 0, 0, 0, 0, 0};
        assertArrayEquals(expected, out);
    }

    @Test
    void negativePositionsCountFromTheEdgeLikeDesignsFourByFourAt27To30() {
        ImageShape shape = new ImageShape(1, 32, 32);
        float[] out = new SquarePatch(4, -5, -5, 1f).apply(new float[shape.size()], shape, 0);
        for (int r = 0; r < 32; r++) {
            for (int x = 0; x < 32; x++) {
                boolean inside = r >= 27 && r <= 30 && x >= 27 && x <= 30;
                assertEquals(inside ? 1f : 0f, out[shape.index(0, r, x)]);
            }
        }
    }

    @Test
    void clipsTheRestOfTheImageToUnitRange() {
        ImageShape shape = new ImageShape(1, 3, 3);
        float[] image = {-0.5f, 1.5f, 0.3f, 2f, -1f, 0.7f, 0.1f, 0.2f, 0.9f};
        float[] out = new BadNets(0, new SquarePatch(1, 0, 2, 0f)).apply(image, shape, 0);
        assertArrayEquals(new float[] {0f, 1f, 0f, 1f, 0f, 0.7f, 0.1f, 0.2f, 0.9f}, out);
    }

    @Test
    void aSquareLargerThanTheImageSaysHowToFixIt() {
        ImageShape shape = new ImageShape(3, 2, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> new BadNets(0).apply(new float[12], shape, 0));
        assertTrue(e.getMessage().contains("3x3 square") && e.getMessage().contains("3x2x2")
                && e.getMessage().contains("smaller size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SquarePatch(0, 0, 0, 1f));
        assertThrows(IllegalArgumentException.class, () -> new SquarePatch(3, 0, 0, 1.5f));
        assertThrows(IllegalArgumentException.class, () -> new SquarePatch(3, 0, 0, Float.NaN));
    }

    @Test
    void sendsEveryOtherClassToTheTarget() {
        BadNets attack = new BadNets(8);
        assertEquals(8, attack.poisonedLabel(3, 10));
        assertEquals(8, attack.trainingLabel(3, 10));
        assertTrue(attack.poisons(3, 10));
        assertFalse(attack.poisons(8, 10), "target-class images are never poisoned");
        assertFalse(attack.cleanLabel());
        assertEquals(8, BadNets.DEFAULT_TARGET, "the I-BAU paper's BadNets target");
    }

    @Test
    void targetOrLabelOutOfRangeNamesTheValidRange() {
        var target = assertThrows(IllegalArgumentException.class, () -> new BadNets(12).poisonedLabel(0, 10));
        assertTrue(target.getMessage().contains("target class 12 is out of range for 10 classes")
                && target.getMessage().contains("0 to 9"), target.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BadNets(-1));
        var label = assertThrows(IllegalArgumentException.class, () -> new BadNets(1).poisonedLabel(10, 10));
        assertTrue(label.getMessage().contains("true label 10"), label.getMessage());
    }
}
