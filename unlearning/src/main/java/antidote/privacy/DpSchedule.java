package antidote.privacy;

/**
 * How DP-SGD walks a training set of N images with batch size B: sampling rate q = B/N, steps per epoch
 * (round(N/B) Poisson draws, or N/B full shuffled batches), and the privacy spent after a number of epochs.
 */
public record DpSchedule(DpSettings settings, double rate, int stepsPerEpoch, int expectedBatch) {

    /** The schedule of {@code settings} over {@code trainSize} images in batches of {@code batchSize}. */
    public static DpSchedule of(DpSettings settings, int trainSize, int batchSize) {
        if (batchSize < 1 || batchSize > trainSize) {
            throw new IllegalArgumentException("DP-SGD needs a batch size between 1 and the " + trainSize
                    + " training images, got " + batchSize + "; train on more images (--train-samples)");
        }
        int steps = settings.sampling() == DpSettings.Sampling.POISSON
                ? Math.max(1, (int) Math.round(trainSize / (double) batchSize)) : trainSize / batchSize;
        return new DpSchedule(settings, batchSize / (double) trainSize, steps, batchSize);
    }

    /** ε at the settings' δ after {@code epochs} epochs. */
    public RdpAccountant.Spent spentAfter(int epochs) {
        return RdpAccountant.spent(rate, settings.noise(), (long) epochs * stepsPerEpoch, settings.delta());
    }
}
