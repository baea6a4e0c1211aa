package antidote.privacy;

import antidote.data.Augmentation;
import antidote.data.Batch;
import antidote.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Poisson batches: reproducible per (seed, epoch), about q·N images each, with their own pixels and labels; schedules. */
class PoissonBatchesTest {

    @Test
    void drawsAboutTheExpectedBatchReproducibly() {
        int n = 2000;
        byte[] pixels = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i * 4] = (byte) i;
            labels[i] = i % 3;
        }
        Dataset data = Dataset.of("tiny", pixels, labels, 1, 2, 2, Dataset.numberedClasses(3));
        PoissonBatches epoch = new PoissonBatches(data, 0.05, 40, Augmentation.none(), 9, 1);
        List<Batch> batches = new ArrayList<>();
        epoch.forEach(batches::add);
        assertEquals(40, batches.size());
        int total = 0;
        for (Batch b : batches) {
            total += b.size();
            for (int k = 0; k < b.size(); k++) {
                int index = b.indices()[k];
                assertEquals(index % 3, b.labels()[k]);
                assertEquals((index & 0xFF) / 255f, b.pixels()[k * 4], 1e-6f, "the image of index " + index);
            }
        }
        // 40 draws of Binomial(2000, 0.05): mean 4,000 images, standard deviation about 44.
        assertEquals(4000, total, 250);
        List<Batch> again = new ArrayList<>();
        new PoissonBatches(data, 0.05, 40, Augmentation.none(), 9, 1).forEach(again::add);
        assertArrayEquals(batches.get(7).indices(), again.get(7).indices(), "same seed and epoch, same draws");
        List<Batch> next = new ArrayList<>();
        new PoissonBatches(data, 0.05, 40, Augmentation.none(), 9, 2).forEach(next::add);
        assertFalse(java.util.Arrays.equals(batches.get(7).indices(), next.get(7).indices()), "another epoch");
    }

    @Test
    void schedulesOfBothSamplings() {
        DpSchedule poisson = DpSchedule.of(DpSettings.DEFAULT, 10000, 128);
        assertEquals(78, poisson.stepsPerEpoch());
        assertEquals(0.0128, poisson.rate(), 1e-15);
        DpSettings shuffled = new DpSettings(1, 1.5, DpSettings.Sampling.parse("shuffle"), 1e-5);
        assertEquals(78, DpSchedule.of(shuffled, 10000, 128).stepsPerEpoch(), "full batches only");
        assertEquals(3, DpSchedule.of(shuffled, 450, 128).stepsPerEpoch(), "the last partial batch is dropped");
        assertEquals(4, DpSchedule.of(DpSettings.DEFAULT, 450, 128).stepsPerEpoch(), "round(3.52) Poisson draws");
        assertTrue(DpSchedule.of(DpSettings.DEFAULT, 10000, 128).spentAfter(2).epsilon()
                > DpSchedule.of(DpSettings.DEFAULT, 10000, 128).spentAfter(1).epsilon());
    }
}
