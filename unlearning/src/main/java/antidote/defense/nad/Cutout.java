package antidote.defense.nad;

import antidote.data.Augmentation;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * NAD's Cutout(1, length) (DeVries and Taylor, 2017, as NAD's data loader has it): one square hole centred at a
 * uniformly random pixel, zeroed in every channel and clipped at the borders. As in that code the hole spans
 * centre − length/2 to centre + length/2 (end excluded, integer division), so a length of 3 zeroes 2x2 pixels.
 */
final class Cutout implements Augmentation {
    private final int length;

    Cutout(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("cutout length must be >= 1, got " + length);
        }
        this.length = length;
    }

    @Override
    public void apply(byte[] chw, int channels, int height, int width, RandomGenerator rng) {
        int y = rng.nextInt(height);
        int x = rng.nextInt(width);
        cutAt(chw, channels, height, width, y, x);
    }

    /** Zeroes the hole centred at row {@code y}, column {@code x}. */
    void cutAt(byte[] chw, int channels, int height, int width, int y, int x) {
        int half = length / 2;
        int y1 = Math.max(0, y - half);
        int y2 = Math.min(height, y + half);
        int x1 = Math.max(0, x - half);
        int x2 = Math.min(width, x + half);
        for (int c = 0; c < channels; c++) {
            for (int row = y1; row < y2; row++) {
                int start = (c * height + row) * width;
                Arrays.fill(chw, start + x1, start + x2, (byte) 0);
            }
        }
    }
}
