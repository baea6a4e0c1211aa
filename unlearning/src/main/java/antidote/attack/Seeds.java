package antidote.attack;

/** Derives independent, reproducible seeds from a user's seed with SplitMix64's finaliser. */
final class Seeds {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private Seeds() {
    }

    /** SplitMix64's bit mixer: a bijection on longs that spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The seed of item {@code index} (a sample, or a part of an attack) in the stream seeded by {@code seed}. */
    static long derive(long seed, int index) {
        return mix(mix(seed) + GOLDEN_GAMMA * (index + 1L));
    }
}
