package antidote.data;

import java.util.random.RandomGenerator;

/** Left-right mirror with probability 1/2. */
final class HorizontalFlip implements Augmentation {
    @Override
    public void apply(byte[] chw, int channels, int height, int width, RandomGenerator rng) {
        if (!rng.nextBoolean()) {
            return;
        }
        for (int row = 0; row < channels * height; row++) {
            int start = row * width;
            for (int a = start, b = start + width - 1; a < b; a++, b--) {
                byte t = chw[a];
                chw[a] = chw[b];
                chw[b] = t;
            }
        }
    }
}
