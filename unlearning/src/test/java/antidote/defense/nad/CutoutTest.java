package antidote.defense.nad;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** NAD's cutout: a hole of length/2 on each side of the centre, end excluded, in every channel, clipped at borders. */
class CutoutTest {
    private static byte[] cut(int y, int x) {
        byte[] image = new byte[2 * 6 * 6];
        Arrays.fill(image, (byte) 200);
        new Cutout(3).cutAt(image, 2, 6, 6, y, x);
        return image;
    }

    @Test
    void lengthThreeZeroesTwoByTwoPixelsInEachChannel() {
        byte[] image = cut(3, 2);
        for (int c = 0; c < 2; c++) {
            for (int row = 0; row < 6; row++) {
                for (int col = 0; col < 6; col++) {
                    boolean hole = row >= 2 && row < 4 && col >= 1 && col < 3;
                    assertEquals(hole ? 0 : (byte) 200, image[(c * 6 + row) * 6 + col], c + "," + row + "," + col);
                }
            }
        }
    }

    @Test
    void theHoleIsClippedAtTheBorder() {
        byte[] image = cut(0, 5);
        int zeros = 0;
        for (byte b : image) {
            zeros += b == 0 ? 1 : 0;
        }
        assertEquals(4, zeros, "row 0 (rows -1..0 clipped) and columns 4..5, in two channels");
        assertEquals(0, image[4]);
        assertEquals(0, image[5]);
    }
}
