package antidote.nn.model;

import antidote.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * A procedurally drawn data set of 10 shape classes on a 1x16x16 canvas: horizontal bar, vertical bar, the
 * two diagonals, filled square, hollow square, disk, ring, plus and cross, each with a random centre, size
 * and brightness and Gaussian pixel noise.
 */
final class Shapes {
    static final int SIZE = 16;
    static final int CLASSES = 10;

    final float[] pixels;
    final int[] labels;

    private Shapes(float[] pixels, int[] labels) {
        this.pixels = pixels;
        this.labels = labels;
    }

    /** {@code n} images with labels 0..9 in turn, drawn from {@code seed}. */
    static Shapes generate(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pixels = new float[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            draw(labels[i], rng, pixels, i * SIZE * SIZE);
        }
        return new Shapes(pixels, labels);
    }

    private static void draw(int shape, SplittableRandom rng, float[] out, int offset) {
        double cx = rng.nextDouble(5, 11);
        double cy = rng.nextDouble(5, 11);
        double r = rng.nextDouble(3, 5);
        double brightness = rng.nextDouble(0.6, 1.0);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double dx = x - cx;
                double dy = y - cy;
                boolean inside = Math.abs(dx) <= r && Math.abs(dy) <= r;
                double dist = Math.hypot(dx, dy);
                boolean on = switch (shape) {
                    case 0 -> Math.abs(dy) <= 0.7 && Math.abs(dx) <= r;
                    case 1 -> Math.abs(dx) <= 0.7 && Math.abs(dy) <= r;
                    case 2 -> Math.abs(dx - dy) <= 0.8 && inside;
                    case 3 -> Math.abs(dx + dy) <= 0.8 && inside;
                    case 4 -> inside;
                    case 5 -> inside && (Math.abs(dx) > r - 1.2 || Math.abs(dy) > r - 1.2);
                    case 6 -> dist <= r;
                    case 7 -> Math.abs(dist - r) <= 0.7;
                    case 8 -> (Math.abs(dx) <= 0.7 || Math.abs(dy) <= 0.7) && inside;
                    default -> (Math.abs(dx - dy) <= 0.8 || Math.abs(dx + dy) <= 0.8) && inside;
                };
                out[offset + y * SIZE + x] = (float) ((on ? brightness : 0) + 0.1 * rng.nextGaussian());
            }
        }
    }

    int size() {
        return labels.length;
    }

    /** Images {@code from} to {@code to} (exclusive) as an [n, 1, 16, 16] tensor. */
    Tensor images(int from, int to) {
        float[] v = new float[(to - from) * SIZE * SIZE];
        System.arraycopy(pixels, from * SIZE * SIZE, v, 0, v.length);
        return Tensor.fromArray(v, to - from, 1, SIZE, SIZE);
    }

    int[] labels(int from, int to) {
        return java.util.Arrays.copyOfRange(labels, from, to);
    }
}
