package antidote.bench;

import java.util.SplittableRandom;

/** Seeded benchmark inputs. */
final class Data {
    private Data() {
    }

    /** {@code n} standard normal float32 values. */
    static float[] gaussian(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}
