package antidote.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoaderTest {
    private final Dataset data = Fixtures.randomDataset(50, 3, 8, 8, 5, 11);
    private final Augmentation cropAndFlip = Augmentation.randomCrop(2).then(Augmentation.horizontalFlip());

    private static List<Batch> all(Loader loader, int epoch) {
        List<Batch> batches = new ArrayList<>();
        try (Epoch e = loader.epoch(epoch)) {
            for (Batch b : e) {
                batches.add(b);
            }
        }
        return batches;
    }

    private Loader.Builder loader() {
        return Loader.over(data).batchSize(7).augmentation(cropAndFlip);
    }

    @Test
    void sameSeedGivesSameBatchesWithOrWithoutPrefetch() {
        for (int epoch = 0; epoch < 2; epoch++) {
            List<Batch> a = all(loader().seed(42).prefetch(true).build(), epoch);
            List<Batch> b = all(loader().seed(42).prefetch(false).build(), epoch);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).indices(), b.get(i).indices());
                assertArrayEquals(a.get(i).labels(), b.get(i).labels());
                assertArrayEquals(a.get(i).pixels(), b.get(i).pixels());
            }
        }
    }

    @Test
    void differentSeedsAndEpochsGiveDifferentOrders() {
        Loader one = loader().seed(1).build();
        assertFalse(Arrays.equals(one.order(0), loader().seed(2).build().order(0)));
        assertFalse(Arrays.equals(one.order(0), one.order(1)));
        assertArrayEquals(one.order(3), loader().seed(1).build().order(3));
    }

    @Test
    void everySampleOnceAndBatchSizes() {
        List<Batch> batches = all(loader().build(), 0);
        assertEquals(8, batches.size());
        assertEquals(1, batches.get(7).size(), "50 = 7·7 + 1");
        int[] seen = batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 50).toArray(), seen);

        Loader dropLast = loader().dropLast(true).build();
        assertEquals(7, dropLast.numBatches());
        assertTrue(all(dropLast, 0).stream().allMatch(b -> b.size() == 7));
    }

    @Test
    void withoutShuffleOrAugmentationBatchesAreTheDatasetInOrder() {
        List<Batch> batches = all(Loader.over(data).batchSize(20).shuffle(false).build(), 0);
        assertArrayEquals(IntStream.range(20, 40).toArray(), batches.get(1).indices());
        float[] expected = new float[192];
        data.copyImage(21, expected, 0);
        assertArrayEquals(expected, Arrays.copyOfRange(batches.get(1).pixels(), 192, 384));
        assertEquals(expected[5 * 8 + 3], batches.get(1).pixel(1, 0, 5, 3));
    }

    @Test
    void augmentationKeepsLabelsAndShapes() {
        for (Batch batch : all(loader().seed(5).build(), 0)) {
            assertArrayEquals(new int[] {batch.size(), 3, 8, 8}, batch.shape());
            assertEquals(batch.size() * 192, batch.pixels().length);
            int[] indices = batch.indices();
            for (int k = 0; k < indices.length; k++) {
                assertEquals(data.label(indices[k]), batch.labels()[k]);
            }
        }
    }

    @Test
    void randomCropIsAZeroFilledShift() {
        int c = 2;
        int h = 5;
        int w = 6;
        byte[] src = new byte[c * h * w];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i + 1); // never 0, so zeros mark the padding
        }
        SplittableRandom rng = new SplittableRandom(4);
        for (int trial = 0; trial < 50; trial++) {
            byte[] out = src.clone();
            Augmentation.randomCrop(3).apply(out, c, h, w, rng);
            assertTrue(isShiftOf(src, out, c, h, w, 3), "trial " + trial + " is a shift within the padding");
        }
    }

    private static boolean isShiftOf(byte[] src, byte[] out, int c, int h, int w, int pad) {
        for (int dy = -pad; dy <= pad; dy++) {
            for (int dx = -pad; dx <= pad; dx++) {
                boolean match = true;
                for (int ch = 0; ch < c && match; ch++) {
                    for (int y = 0; y < h && match; y++) {
                        for (int x = 0; x < w && match; x++) {
                            int sy = y + dy;
                            int sx = x + dx;
                            byte expected = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[(ch * h + sy) * w + sx] : 0;
                            match = out[(ch * h + y) * w + x] == expected;
                        }
                    }
                }
                if (match) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void horizontalFlipMirrorsEachRowOrLeavesTheImage() {
        byte[] src = Fixtures.randomBytes(2 * 3 * 5, new SplittableRandom(8));
        byte[] mirror = new byte[src.length];
        for (int row = 0; row < 6; row++) {
            for (int x = 0; x < 5; x++) {
                mirror[row * 5 + x] = src[row * 5 + 4 - x];
            }
        }
        SplittableRandom rng = new SplittableRandom(1);
        int flipped = 0;
        for (int trial = 0; trial < 40; trial++) {
            byte[] out = src.clone();
            Augmentation.horizontalFlip().apply(out, 2, 3, 5, rng);
            boolean isMirror = Arrays.equals(out, mirror);
            assertTrue(isMirror || Arrays.equals(out, src));
            flipped += isMirror ? 1 : 0;
        }
        assertTrue(flipped > 5 && flipped < 35, "about half flipped: " + flipped);
    }

    @Test
    void prefetchThreadStopsWhenClosed() throws InterruptedException {
        Epoch epoch = loader().build().epoch(0);
        epoch.next();
        epoch.close();
        assertThrows(NoSuchElementException.class, epoch::next);
        long deadline = System.currentTimeMillis() + 5000;
        while (prefetchThreadAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(prefetchThreadAlive());
    }

    private static boolean prefetchThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("antidote-loader-prefetch") && t.isAlive());
    }

    @Test
    void errorsOnThePrefetchThreadReachTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        Loader failing = Loader.over(data).batchSize(10).augmentation((chw, c, h, w, rng) -> {
            throw boom;
        }).build();
        try (Epoch epoch = failing.epoch(0)) {
            assertSame(boom, assertThrows(IllegalStateException.class, epoch::next));
        }
    }

    @Test
    void anEpochIsIteratedOnce() {
        try (Epoch epoch = loader().build().epoch(0)) {
            epoch.iterator();
            assertThrows(IllegalStateException.class, epoch::iterator);
        }
    }
}
