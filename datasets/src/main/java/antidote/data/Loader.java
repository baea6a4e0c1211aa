package antidote.data;

import java.util.SplittableRandom;

/**
 * Cuts a {@link Dataset} into mini-batches, epoch by epoch: seeded shuffling, optional drop-last, a per-image
 * {@link Augmentation} on the uint8 pixels, then conversion to floats in [0, 1]. The order of epoch e and the
 * random choices of batch b are derived from (seed, e) and (seed, e, b) alone, so results never depend on
 * the background prefetch. Use as {@code try (Epoch epoch = loader.epoch(e)) { for (Batch b : epoch) ... }}.
 */
public final class Loader {
    /** The batch size used when none is set. */
    public static final int DEFAULT_BATCH_SIZE = 128;
    private static final long ORDER_STREAM = -1;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Augmentation augmentation;
    private final boolean prefetch;

    private Loader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.augmentation = b.augmentation;
        this.prefetch = b.prefetch;
    }

    /** Starts configuring a loader over {@code dataset}: shuffled, seed 0, batch 128, no augmentation, prefetch on. */
    public static Builder over(Dataset dataset) {
        return new Builder(dataset);
    }

    /** The dataset being loaded. */
    public Dataset dataset() {
        return dataset;
    }

    /** Images per batch (the last batch may be smaller unless drop-last is on). */
    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The batches of epoch {@code epoch} (0-based); close it to stop its prefetch thread early. */
    public Epoch epoch(int epoch) {
        return new Epoch(this, epoch, order(epoch), numBatches(), prefetch);
    }

    /** The order in which epoch {@code epoch} visits the samples: a seeded permutation, or 0..N-1 without shuffling. */
    public int[] order(int epoch) {
        if (shuffle) {
            return Seeds.permutation(dataset.size(), Seeds.derive(seed, epoch, ORDER_STREAM));
        }
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Assembles batch {@code batch} of an epoch whose sample order is {@code order}. Thread-safe. */
    Batch assemble(int epoch, int[] order, int batch) {
        int from = batch * batchSize;
        int count = Math.min(batchSize, order.length - from);
        int imageSize = dataset.imageSize();
        int c = dataset.channels();
        int h = dataset.height();
        int w = dataset.width();
        byte[] source = dataset.pixelsView();
        int[] allLabels = dataset.labelsView();
        float[] pixels = new float[count * imageSize];
        int[] labels = new int[count];
        int[] indices = new int[count];
        SplittableRandom rng = Seeds.derive(seed, epoch, batch);
        byte[] scratch = new byte[imageSize];
        for (int k = 0; k < count; k++) {
            int index = order[from + k];
            indices[k] = index;
            labels[k] = allLabels[index];
            if (augmentation == null) {
                Pixels.toFloat(source, index * imageSize, pixels, k * imageSize, imageSize);
            } else {
                System.arraycopy(source, index * imageSize, scratch, 0, imageSize);
                augmentation.apply(scratch, c, h, w, rng);
                Pixels.toFloat(scratch, 0, pixels, k * imageSize, imageSize);
            }
        }
        return new Batch(pixels, labels, indices, c, h, w);
    }

    /** Loader settings; every setter returns this builder. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private boolean shuffle = true;
        private long seed;
        private boolean dropLast;
        private Augmentation augmentation;
        private boolean prefetch = true;

        private Builder(Dataset dataset) {
            this.dataset = dataset;
        }

        /** Images per batch (at least 1). */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** Whether each epoch visits the samples in a seeded random order (default true). */
        public Builder shuffle(boolean on) {
            this.shuffle = on;
            return this;
        }

        /** The seed of the shuffling and of the augmentation (default 0). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Whether to leave out the last batch when it is smaller than the batch size (default false). */
        public Builder dropLast(boolean on) {
            this.dropLast = on;
            return this;
        }

        /** The per-image augmentation (default none); see {@link Augmentation}. */
        public Builder augmentation(Augmentation value) {
            this.augmentation = value;
            return this;
        }

        /** Whether a background thread assembles the next batch while the current one is used (default true). */
        public Builder prefetch(boolean on) {
            this.prefetch = on;
            return this;
        }

        /** The configured loader. */
        public Loader build() {
            if (dataset.size() == 0) {
                throw new IllegalArgumentException(dataset.name() + " is empty: nothing to load");
            }
            return new Loader(this);
        }
    }
}
