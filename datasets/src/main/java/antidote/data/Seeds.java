package antidote.data;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Derives independent, reproducible random streams from one user seed and a path of integers (epoch, batch, ...). */
public final class Seeds {
    private Seeds() {
    }

    /** A generator that depends only on {@code seed} and {@code path}: the same arguments give the same stream. */
    public static SplittableRandom derive(long seed, long... path) {
        long state = mix(seed);
        for (long step : path) {
            state = mix(state ^ mix(step + 0x9E3779B97F4A7C15L));
        }
        return new SplittableRandom(state);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates) drawn from {@code rng}. */
    public static int[] permutation(int n, RandomGenerator rng) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    /** The SplitMix64 finaliser: a bijection of 64-bit values that scatters nearby inputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
