package antidote.data.source;

import antidote.data.Augmentation;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.data.SplitSummary;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Reads the real Fashion-MNIST when it is installed ({@code apt-get install dataset-fashion-mnist}); skipped otherwise. */
class FashionMnistTest {
    @Test
    void readsTheInstalledFashionMnist() throws IOException {
        DataSource source;
        try {
            source = DataSources.open("fashion-mnist", SearchPath.standard(null));
        } catch (DatasetNotFoundException e) {
            assumeTrue(false, "Fashion-MNIST is not installed here; skipping. " + e.getMessage());
            return;
        }
        assumeTrue(Files.isDirectory(source.location()));

        long start = System.nanoTime();
        Dataset train = source.load("train");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Fashion-MNIST training set (%s) loaded in %.2f s%n", source.location(), seconds);
        assertTrue(seconds < 30, "loading took " + seconds + " s");

        Dataset test = source.load("test");
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.imageShape());
        for (int c = 0; c < 10; c++) {
            assertEquals(6_000, train.classCounts()[c]);
            assertEquals(1_000, test.classCounts()[c]);
        }
        // The published statistics of the Fashion-MNIST training set: mean 0.2860, std 0.3530.
        SplitSummary summary = SplitSummary.of(train);
        assertEquals(0.2860, summary.mean().get(0), 5e-4);
        assertEquals(0.3530, summary.std().get(0), 5e-4);

        start = System.nanoTime();
        int images = 0;
        Loader loader = Loader.over(train).batchSize(128).seed(1)
                .augmentation(Augmentation.randomCrop(2).then(Augmentation.horizontalFlip())).build();
        try (Epoch epoch = loader.epoch(0)) {
            for (Batch batch : epoch) {
                images += batch.size();
            }
        }
        System.out.printf("one augmented epoch of %d images (batch 128, as float arrays) in %.2f s%n", images,
                (System.nanoTime() - start) / 1e9);
        assertEquals(60_000, images);
    }
}
