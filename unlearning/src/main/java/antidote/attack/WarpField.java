package antidote.attack;

import java.util.SplittableRandom;

/**
 * WaNet's warping field in pixel coordinates, and bilinear sampling of an image through it. The reference code builds
 * {@code grid = clamp(identity + s * upsample(noise) / size, -1, 1)} in [-1,1] coordinates and samples with
 * {@code grid_sample(align_corners=True)}; position g there is pixel (g + 1) (size - 1) / 2 here, the same field.
 */
final class WarpField {
    private WarpField() {
    }

    /**
     * The warped sampling positions for {@code shape}: x positions (columns) for every pixel, then y positions (rows).
     * A k x k control grid of uniform [-1,1] values per axis, normalised to mean absolute value 1, is upsampled
     * bilinearly with corners aligned and added with weight {@code strength} (BackdoorBench's s = 0.5, k = 4).
     */
    static float[] positions(ImageShape shape, int k, float strength, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] control = new float[2 * k * k];
        double sumAbs = 0;
        for (int i = 0; i < control.length; i++) {
            control[i] = random.nextFloat() * 2f - 1f;
            sumAbs += Math.abs(control[i]);
        }
        float meanAbs = (float) (sumAbs / control.length);
        for (int i = 0; i < control.length; i++) {
            control[i] /= meanAbs;
        }
        int h = shape.height();
        int w = shape.width();
        float[] noise = Resample.upsampleAlignCorners(control, 2, k, k, h, w);
        float[] positions = new float[2 * h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int p = r * w + c;
                positions[p] = clamp(c + strength * noise[p] * pixelsPerUnit(w), w);
                positions[h * w + p] = clamp(r + strength * noise[h * w + p] * pixelsPerUnit(h), h);
            }
        }
        return positions;
    }

    /** {@code positions} moved by independent uniform offsets of up to one grid unit (1/size), as noise mode does. */
    static float[] jitter(float[] positions, ImageShape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int h = shape.height();
        int w = shape.width();
        float[] out = new float[positions.length];
        for (int p = 0; p < h * w; p++) {
            out[p] = clamp(positions[p] + (random.nextFloat() * 2f - 1f) * pixelsPerUnit(w), w);
            out[h * w + p] = clamp(positions[h * w + p] + (random.nextFloat() * 2f - 1f) * pixelsPerUnit(h), h);
        }
        return out;
    }

    /** The image read bilinearly at {@code positions}, every channel through the same field. */
    static float[] sample(float[] chw, ImageShape shape, float[] positions) {
        int h = shape.height();
        int w = shape.width();
        float[] out = new float[chw.length];
        for (int c = 0; c < shape.channels(); c++) {
            for (int p = 0; p < h * w; p++) {
                out[c * h * w + p] = Resample.sample(chw, c, h, w, positions[h * w + p], positions[p]);
            }
        }
        return out;
    }

    /** Pixels moved by an offset of 1/size in [-1,1] coordinates: (size - 1) / (2 size). */
    private static float pixelsPerUnit(int size) {
        return (size - 1f) / (2f * size);
    }

    private static float clamp(float position, int size) {
        return Math.max(0f, Math.min(size - 1f, position));
    }
}
