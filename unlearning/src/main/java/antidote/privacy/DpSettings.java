package antidote.privacy;

/**
 * The knobs of DP-SGD training, each with its one default. The I-BAU paper (appendix A.4.2) tuned the noise
 * multiplier per dataset following Du et al.: 50 for CIFAR-10 and 1.5 for GTSRB ({@link #paper}); the default here
 * is the GTSRB value, the one of the two that still trains to a usable accuracy.
 *
 * @param clip     C, the bound on each sample's gradient norm (default {@value #DEFAULT_CLIP})
 * @param noise    σ, the noise multiplier: the summed clipped gradient gets N(0, σ²C²) noise per coordinate
 *                 (default {@value #DEFAULT_NOISE})
 * @param sampling how batches are drawn (default {@link Sampling#POISSON}, the sampling the accountant assumes)
 * @param delta    the δ at which the privacy spent, ε, is reported (default {@value #DEFAULT_DELTA})
 */
public record DpSettings(double clip, double noise, Sampling sampling, double delta) {
    public static final double DEFAULT_CLIP = 1.0;
    public static final double DEFAULT_NOISE = 1.5;
    public static final String DEFAULT_SAMPLING = "poisson";
    public static final double DEFAULT_DELTA = 1e-5;
    /** The I-BAU paper's noise multiplier on CIFAR-10 (appendix A.4.2). */
    public static final double PAPER_CIFAR10_NOISE = 50;
    /** Every setting at its default. */
    public static final DpSettings DEFAULT = new DpSettings(DEFAULT_CLIP, DEFAULT_NOISE,
            Sampling.parse(DEFAULT_SAMPLING), DEFAULT_DELTA);

    /**
     * The paper's settings for {@code dataset}: its noise multiplier on CIFAR-10 ({@value #PAPER_CIFAR10_NOISE})
     * and GTSRB ({@value #DEFAULT_NOISE}), the defaults elsewhere (it used no other dataset).
     */
    public static DpSettings paper(String dataset) {
        return dataset.equals("cifar10") ? new DpSettings(DEFAULT_CLIP, PAPER_CIFAR10_NOISE, DEFAULT.sampling(),
                DEFAULT_DELTA) : DEFAULT;
    }

    /** How DP-SGD draws its batches. */
    public enum Sampling {
        /**
         * Each step takes every training image independently with probability q = batch / N, so batch sizes vary;
         * an epoch is round(N / batch) steps. This is the sampled Gaussian mechanism the accountant analyses.
         */
        POISSON,
        /**
         * Each epoch is a shuffled pass in batches of exactly the batch size (the last partial batch is dropped).
         * Common practice; the reported ε treats it as Poisson sampling with the same q, which is an approximation,
         * not a proof.
         */
        SHUFFLE;

        /** "poisson" or "shuffle"; anything else is refused in one line. */
        public static Sampling parse(String name) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "poisson" -> POISSON;
                case "shuffle" -> SHUFFLE;
                default -> throw new IllegalArgumentException("--dp-sampling must be poisson or shuffle, got '"
                        + name + "'");
            };
        }
    }

    public DpSettings {
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("--dp-clip must be a positive number, got " + clip);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("--dp-noise must be a number >= 0, got " + noise);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("--dp-delta must be between 0 and 1 (exclusive), got " + delta);
        }
        if (sampling == null) {
            throw new IllegalArgumentException("--dp-sampling must be poisson or shuffle");
        }
    }
}
