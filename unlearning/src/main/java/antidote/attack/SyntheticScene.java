package antidote.attack;

import java.util.SplittableRandom;

/**
 * A seeded stand-in for a real out-of-distribution picture (the paper's SR uses a cartoon image): a vertical
 * gradient between two random colours with {@value #ELLIPSES} random filled ellipses on it. Shapes and colours are
 * drawn in coordinates relative to the image, so every size shows the same scene; each channel gets its own value.
 */
final class SyntheticScene implements PatternSource {
    static final int ELLIPSES = 6;

    private final long seed;

    SyntheticScene(long seed) {
        this.seed = seed;
    }

    @Override
    public float[] render(ImageShape shape) {
        int channels = shape.channels();
        SplittableRandom random = new SplittableRandom(seed);
        float[] top = colour(random, channels);
        float[] bottom = colour(random, channels);
        double[][] ellipses = new double[ELLIPSES][];
        float[][] colours = new float[ELLIPSES][];
        for (int e = 0; e < ELLIPSES; e++) {
            // centre y, centre x in [0.1, 0.9); radii in [0.08, 0.35)
            ellipses[e] = new double[] {random.nextDouble(0.1, 0.9), random.nextDouble(0.1, 0.9),
                random.nextDouble(0.08, 0.35), random.nextDouble(0.08, 0.35)};
            colours[e] = colour(random, channels);
        }
        float[] out = new float[shape.size()];
        for (int y = 0; y < shape.height(); y++) {
            double v = (y + 0.5) / shape.height();
            for (int x = 0; x < shape.width(); x++) {
                double u = (x + 0.5) / shape.width();
                float[] colour = null;
                for (int e = ELLIPSES - 1; e >= 0 && colour == null; e--) { // the last drawn lies on top
                    double dy = (v - ellipses[e][0]) / ellipses[e][2];
                    double dx = (u - ellipses[e][1]) / ellipses[e][3];
                    colour = dy * dy + dx * dx <= 1 ? colours[e] : null;
                }
                for (int c = 0; c < channels; c++) {
                    out[shape.index(c, y, x)] = colour != null ? colour[c] : (float) ((1 - v) * top[c] + v * bottom[c]);
                }
            }
        }
        return out;
    }

    private static float[] colour(SplittableRandom random, int channels) {
        float[] colour = new float[channels];
        for (int c = 0; c < channels; c++) {
            colour[c] = (float) random.nextDouble();
        }
        return colour;
    }

    @Override
    public String toString() {
        return "SyntheticScene[seed " + seed + "]";
    }
}
