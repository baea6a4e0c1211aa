package antidote.privacy;

import antidote.data.Augmentation;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Pixels;
import antidote.data.Seeds;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The batches of one DP-SGD epoch under Poisson sampling: each of {@link #steps} steps takes every image
 * independently with probability q, so a batch may hold any number of images, none included. The draws and the
 * augmentation come from streams derived from the seed, the epoch and the step, so a run is reproducible and a
 * resumed epoch draws the same batches.
 */
public final class PoissonBatches implements Iterable<Batch> {
    /** The stream of the inclusion draws, apart from the loader's streams. */
    private static final long SAMPLING_STREAM = 0x5A3F1E;

    private final Dataset dataset;
    private final double rate;
    private final int steps;
    private final Augmentation augmentation;
    private final long seed;
    private final int epoch;

    /** Epoch {@code epoch} of {@code steps} batches drawn at rate {@code rate} from {@code dataset}. */
    public PoissonBatches(Dataset dataset, double rate, int steps, Augmentation augmentation, long seed, int epoch) {
        this.dataset = dataset;
        this.rate = rate;
        this.steps = steps;
        this.augmentation = augmentation;
        this.seed = seed;
        this.epoch = epoch;
    }

    public int steps() {
        return steps;
    }

    @Override
    public Iterator<Batch> iterator() {
        return new Iterator<>() {
            private int step;

            @Override
            public boolean hasNext() {
                return step < steps;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return draw(step++);
            }
        };
    }

    /** Batch {@code step}: the images its Bernoulli draws took, in index order. */
    Batch draw(int step) {
        SplittableRandom rng = Seeds.derive(seed, SAMPLING_STREAM, epoch, step);
        int n = dataset.size();
        int[] taken = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (rng.nextDouble() < rate) {
                taken[count++] = i;
            }
        }
        return assemble(java.util.Arrays.copyOf(taken, count), rng);
    }

    private Batch assemble(int[] indices, RandomGenerator rng) {
        int imageSize = dataset.imageSize();
        float[] pixels = new float[indices.length * imageSize];
        int[] labels = new int[indices.length];
        byte[] scratch = new byte[imageSize];
        for (int k = 0; k < indices.length; k++) {
            labels[k] = dataset.label(indices[k]);
            dataset.copyImageBytes(indices[k], scratch, 0);
            augmentation.apply(scratch, dataset.channels(), dataset.height(), dataset.width(), rng);
            Pixels.toFloat(scratch, 0, pixels, k * imageSize, imageSize);
        }
        return new Batch(pixels, labels, indices, dataset.channels(), dataset.height(), dataset.width());
    }
}
