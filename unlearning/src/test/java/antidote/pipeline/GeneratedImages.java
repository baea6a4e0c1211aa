package antidote.pipeline;

import antidote.data.Dataset;

import java.util.SplittableRandom;

/** Test data: 1x28x28 images of 10 procedurally drawn classes (a bar at a class-specific place and angle, plus noise). */
public final class GeneratedImages {
    private GeneratedImages() {
    }

    public static Dataset make(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] pixels = new byte[count * 28 * 28];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int c = i % 10;
            labels[i] = c;
            int base = i * 784;
            for (int p = 0; p < 784; p++) {
                pixels[base + p] = (byte) r.nextInt(60);
            }
            int offset = r.nextInt(-2, 3);
            for (int t = 4; t < 24; t++) {
                int y = c < 5 ? 3 + 5 * c + offset : t;
                int x = c < 5 ? t : 3 + 5 * (c - 5) + offset;
                pixels[base + Math.max(0, Math.min(27, y)) * 28 + Math.max(0, Math.min(27, x))] = (byte) 220;
            }
        }
        return Dataset.of("generated", pixels, labels, 1, 28, 28, Dataset.numberedClasses(10));
    }
}
