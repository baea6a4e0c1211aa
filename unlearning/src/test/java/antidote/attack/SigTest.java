package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SigTest {
    @Test
    void addsTheSameHorizontalSineToEveryRowAndChannel() {
        ImageShape shape = new ImageShape(2, 3, 32);
        float[] out = new Sig(0).apply(TestImages.constant(shape, 0.5f), shape, 0);
        for (int c = 0; c < 2; c++) {
            for (int r = 0; r < 3; r++) {
                for (int x = 0; x < 32; x++) {
                    double expected = 0.5 + 40.0 / 255 * Math.sin(2 * Math.PI * 6 * x / 32);
                    assertEquals(expected, out[shape.index(c, r, x)], 1e-6);
                }
            }
        }
    }

    @Test
    void goldenValuesOnFourColumnsWithOnePeriod() {
        ImageShape shape = new ImageShape(1, 1, 4);
        float[] out = new Sig(0, 0.25f, 1).apply(new float[] {0.5f, 0.5f, 0.5f, 0.9f}, shape, 0);
        assertEquals(0.5f, out[0], 1e-6f);
        assertEquals(0.75f, out[1], 1e-6f);
        assertEquals(0.5f, out[2], 1e-6f);
        assertEquals(0.65f, out[3], 1e-6f);
        float[] clipped = new Sig(0, 0.25f, 1).apply(new float[] {0f, 0.9f, 0f, 0.1f}, shape, 0);
        assertEquals(1f, clipped[1]);
        assertEquals(0f, clipped[3]);
    }

    @Test
    void isCleanLabelAndPoisonsOnlyTargetClassImagesKeepingTheirLabels() {
        Sig sig = new Sig(3);
        assertTrue(sig.cleanLabel());
        assertTrue(sig.poisons(3, 10));
        assertFalse(sig.poisons(4, 10));
        assertEquals(3, sig.trainingLabel(3, 10));
        assertEquals(3, sig.poisonedLabel(4, 10), "at test time the trigger should send class 4 to the target");
        assertEquals(4, sig.trainingLabel(4, 10), "labels are never changed");
    }

    @Test
    void rejectsBadAmplitudeOrFrequency() {
        assertThrows(IllegalArgumentException.class, () -> new Sig(0, 0f, 6));
        assertThrows(IllegalArgumentException.class, () -> new Sig(0, 0.1f, 0));
    }
}
