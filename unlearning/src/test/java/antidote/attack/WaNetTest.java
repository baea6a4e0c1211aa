package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WaNetTest {
    private static final ImageShape SHAPE = new ImageShape(3, 32, 32);

    @Test
    void zeroStrengthIsTheIdentity() {
        float[] image = TestImages.random(SHAPE, 3);
        assertArrayEquals(image, new WaNet(0, 4, 0f, 2, 1).apply(image, SHAPE, 0));
    }

    @Test
    void samplesTheImageBilinearlyAtTheWarpedPositions() {
        // Bilinear sampling reproduces a linear ramp exactly, so the output equals the warped x position / (W - 1).
        WaNet wanet = new WaNet(0, 1);
        float[] out = wanet.apply(TestImages.horizontalRamp(SHAPE), SHAPE, 0);
        float[] positions = wanet.field(SHAPE);
        int plane = SHAPE.planeSize();
        boolean moved = false;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                assertEquals(positions[p] / 31f, out[c * plane + p], 1e-5f);
                moved |= Math.abs(positions[p] - p % 32) > 1e-3f;
            }
        }
        assertTrue(moved, "the warp must move some pixels");
    }

    @Test
    void theFieldIsTheControlGridUpsampledWithCornersAligned() {
        // k = 4 on 10 pixels puts control points on 0, 3, 6, 9; between them the displacement is linear.
        ImageShape shape = new ImageShape(1, 10, 10);
        float[] positions = new WaNet(0, 4, 0.5f, 2, 5).field(shape);
        for (int axis = 0; axis < 2; axis++) {
            float d3 = displacement(positions, axis, 3);
            float d4 = displacement(positions, axis, 4);
            float d6 = displacement(positions, axis, 6);
            assertEquals((2 * d3 + d6) / 3, d4, 1e-5f, "axis " + axis);
        }
        for (float p : positions) {
            assertTrue(p >= 0f && p <= 9f, "positions stay inside the image");
        }
    }

    /** Displacement along {@code axis} (0 = x, 1 = y) at row 3, column {@code col} of a 10x10 field. */
    private static float displacement(float[] positions, int axis, int col) {
        float identity = axis == 0 ? col : 3;
        return positions[axis * 100 + 3 * 10 + col] - identity;
    }

    @Test
    void keepsValuesWithinTheInputRangeAndConstantsConstant() {
        float[] out = new WaNet(0, 7).apply(TestImages.constant(SHAPE, 0.4f), SHAPE, 0);
        for (float v : out) {
            assertEquals(0.4f, v, 1e-6f);
        }
    }

    @Test
    void sameSeedSameWarpOtherSeedOtherWarp() {
        float[] image = TestImages.random(SHAPE, 3);
        float[] first = new WaNet(0, 1).apply(image, SHAPE, 0);
        assertArrayEquals(first, new WaNet(0, 1).apply(image, SHAPE, 99), "the warp does not depend on the sample");
        assertFalse(Arrays.equals(first, new WaNet(0, 2).apply(image, SHAPE, 0)));
    }

    @Test
    void noiseModeJittersTheWarpPerSampleReproducibly() {
        WaNet wanet = new WaNet(0, 1);
        float[] image = TestImages.random(SHAPE, 3);
        float[] warped = wanet.apply(image, SHAPE, 0);
        float[] noisy = wanet.applyNoise(image, SHAPE, 0);
        assertFalse(Arrays.equals(warped, noisy));
        assertArrayEquals(noisy, new WaNet(0, 1).applyNoise(image, SHAPE, 0));
        assertFalse(Arrays.equals(noisy, wanet.applyNoise(image, SHAPE, 1)));
        NoiseMode mode = wanet.noiseMode().orElseThrow();
        assertEquals(2.0, mode.ratio());
        assertArrayEquals(noisy, mode.trigger().apply(image, SHAPE, 0));
    }

    @Test
    void worksOnOneChannelNonSquareImages() {
        ImageShape shape = new ImageShape(1, 12, 20);
        float[] out = new WaNet(0, 1).apply(TestImages.random(shape, 1), shape, 0);
        assertEquals(shape.size(), out.length);
        for (float v : out) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void isAllToOne() {
        WaNet wanet = new WaNet(4, 0);
        assertEquals(4, wanet.poisonedLabel(0, 10));
        assertFalse(wanet.poisons(4, 10));
    }
}
