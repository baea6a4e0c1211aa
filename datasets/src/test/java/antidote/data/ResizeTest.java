package antidote.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResizeTest {
    @Test
    void sameSizeIsACopy() {
        byte[] src = Fixtures.randomBytes(3 * 5 * 7, new SplittableRandom(3));
        assertArrayEquals(src, Resize.bilinear(src, 3, 5, 7, 5, 7));
    }

    @Test
    void enlargingInterpolatesBetweenPixelCentres() {
        // Centres of 4 output pixels over 2 source pixels sit at 0.25, 0.75, 1.25, 1.75 (half-pixel convention).
        byte[] out = Resize.bilinear(new byte[] {0, 100}, 1, 1, 2, 1, 4);
        assertArrayEquals(new byte[] {0, 25, 75, 100}, out);
    }

    @Test
    void shrinkingWidensTheFilterLikePil() {
        // Halving: each output averages 4 source pixels with triangle weights 1/8, 3/8, 3/8, 1/8 (clipped at edges).
        byte[] out = Resize.bilinear(new byte[] {0, 0, 80, 80, (byte) 160, (byte) 160, (byte) 240, (byte) 240}, 1, 1, 8, 1, 4);
        assertEquals(11, out[0] & 0xFF, "(3·0 + 3·0 + 1·80) / 7 = 11.4");
        assertEquals(80, out[1] & 0xFF);
        assertEquals(160, out[2] & 0xFF);
        assertEquals(229, out[3] & 0xFF, "(1·160 + 3·240 + 3·240) / 7 = 228.6");
    }

    @Test
    void constantImagesStayConstant() {
        byte[] src = new byte[2 * 37 * 23];
        Arrays.fill(src, 0, 37 * 23, (byte) 77);
        Arrays.fill(src, 37 * 23, src.length, (byte) 200);
        byte[] out = Resize.bilinear(src, 2, 37, 23, 32, 32);
        for (int i = 0; i < 1024; i++) {
            assertEquals(77, out[i]);
            assertEquals((byte) 200, out[1024 + i]);
        }
    }

    @Test
    void rejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> Resize.bilinear(new byte[4], 1, 2, 2, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> Resize.bilinear(new byte[5], 1, 2, 2, 3, 3));
    }
}
