package antidote.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Random crop with zero padding (torchvision's {@code RandomCrop(size, padding)}): a random shift, zeros shifted in. */
final class RandomCrop implements Augmentation {
    private final int padding;

    RandomCrop(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("random crop padding must be >= 0, got " + padding);
        }
        this.padding = padding;
    }

    @Override
    public void apply(byte[] chw, int channels, int height, int width, RandomGenerator rng) {
        // Top-left corner of the crop in the padded image; a shift of (top - padding, left - padding).
        int top = rng.nextInt(2 * padding + 1);
        int left = rng.nextInt(2 * padding + 1);
        int dy = top - padding;
        int dx = left - padding;
        if (dy == 0 && dx == 0) {
            return;
        }
        byte[] src = chw.clone();
        Arrays.fill(chw, (byte) 0);
        int x0 = Math.max(0, -dx);
        int x1 = Math.min(width, width - dx);
        if (x1 <= x0) {
            return;
        }
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = Math.max(0, -dy); y < Math.min(height, height - dy); y++) {
                System.arraycopy(src, plane + (y + dy) * width + x0 + dx, chw, plane + y * width + x0, x1 - x0);
            }
        }
    }
}
