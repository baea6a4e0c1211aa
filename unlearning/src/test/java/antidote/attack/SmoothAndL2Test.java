package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SmoothAndL2Test {
    @Test
    void smoothPatternPeaksAtItsAmplitudeAndIsLinearBetweenControlPoints() {
        // A 4x4 control grid on 10 pixels puts control points on columns 0, 3, 6 and 9 (corners aligned).
        ImageShape shape = new ImageShape(2, 10, 10);
        float[] pattern = new Smooth(6, Smooth.seeded(3)).pattern(shape);
        float peak = 0f;
        for (float v : pattern) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertEquals(Smooth.DEFAULT_AMPLITUDE, peak, 1e-6f);
        for (int c = 0; c < 2; c++) {
            int at3 = shape.index(c, 3, 3);
            int at6 = shape.index(c, 3, 6);
            assertEquals((2 * pattern[at3] + pattern[at6]) / 3, pattern[shape.index(c, 3, 4)], 1e-6f);
        }
    }

    @Test
    void l2PatternHasTheRequestedNorm() {
        ImageShape shape = new ImageShape(3, 32, 32);
        float[] pattern = new L2Invisible(0, L2Invisible.seeded(1, 2f)).pattern(shape);
        double sumSquares = 0;
        for (float v : pattern) {
            sumSquares += v * v;
        }
        assertEquals(2.0, Math.sqrt(sumSquares), 1e-4);
    }

    @Test
    void bothAreSeededAndAddedWithClipping() {
        ImageShape shape = new ImageShape(3, 8, 8);
        assertArrayEquals(Smooth.seeded(1).render(shape), Smooth.seeded(1).render(shape));
        assertFalse(Arrays.equals(Smooth.seeded(1).render(shape), Smooth.seeded(2).render(shape)));
        assertArrayEquals(L2Invisible.seeded(1).render(shape), L2Invisible.seeded(1).render(shape));
        assertFalse(Arrays.equals(L2Invisible.seeded(1).render(shape), L2Invisible.seeded(2).render(shape)));
        L2Invisible l2 = new L2Invisible(0, L2Invisible.seeded(1));
        float[] pattern = l2.pattern(shape);
        float[] out = l2.apply(TestImages.constant(shape, 0f), shape, 0);
        for (int i = 0; i < out.length; i++) {
            assertEquals(Math.max(0f, pattern[i]), out[i], "negative values clip to 0");
        }
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> Smooth.seeded(0, 1, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> Smooth.seeded(0, 4, 0f));
        assertThrows(IllegalArgumentException.class, () -> L2Invisible.seeded(0, -1f));
    }
}
