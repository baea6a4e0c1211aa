package antidote.data;

import java.util.random.RandomGenerator;

/**
 * A random transformation of one uint8 image (C·H·W, changed in place) that keeps its shape and its label.
 * Implementations draw every random choice from the generator they are given, so a seeded loader
 * reproduces them exactly.
 */
@FunctionalInterface
public interface Augmentation {
    /** Transforms {@code chw} (one image of {@code channels}x{@code height}x{@code width} bytes) in place. */
    void apply(byte[] chw, int channels, int height, int width, RandomGenerator rng);

    /** This augmentation followed by {@code next}. */
    default Augmentation then(Augmentation next) {
        return (chw, c, h, w, rng) -> {
            apply(chw, c, h, w, rng);
            next.apply(chw, c, h, w, rng);
        };
    }

    /** Leaves images unchanged. */
    static Augmentation none() {
        return (chw, c, h, w, rng) -> { };
    }

    /** Zero-pads by {@code padding} on every side, then crops back to H x W at a uniformly random position. */
    static Augmentation randomCrop(int padding) {
        return new RandomCrop(padding);
    }

    /** Mirrors left-right with probability 1/2. Not for handed images such as traffic signs or digits. */
    static Augmentation horizontalFlip() {
        return new HorizontalFlip();
    }
}
