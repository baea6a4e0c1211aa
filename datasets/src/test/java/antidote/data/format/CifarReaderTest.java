package antidote.data.format;

import antidote.data.Dataset;
import antidote.data.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CifarReaderTest {
    private static final int[] BATCH_SIZES = {3, 2, 1, 2, 2};

    @TempDir
    Path dir;

    /** Writes a CIFAR-10 folder with five small training batches, a test batch and the meta file. */
    private Path writeCifar10() throws IOException {
        Path bin = dir.resolve("cifar-10-batches-bin");
        int record = 0;
        for (int b = 0; b < 5; b++) {
            int[][] labels = new int[BATCH_SIZES[b]][];
            for (int r = 0; r < labels.length; r++) {
                labels[r] = new int[] {(record + r) % 10};
            }
            Fixtures.write(bin.resolve("data_batch_" + (b + 1) + ".bin"), Fixtures.cifarRecords(labels, record), false);
            record += labels.length;
        }
        Fixtures.write(bin.resolve("test_batch.bin"), Fixtures.cifarRecords(new int[][] {{9}, {4}}, 100), false);
        Files.writeString(bin.resolve("batches.meta.txt"), String.join("\n", CifarReader.CIFAR10_CLASSES) + "\n\n");
        return bin;
    }

    @Test
    void readsAllTrainingBatchesInOrderWithPlanesRgb() throws IOException {
        Dataset train = CifarReader.readCifar10(writeCifar10(), true);
        assertEquals(10, train.size());
        assertArrayEquals(new int[] {3, 32, 32}, train.imageShape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, train.labels());
        assertEquals(CifarReader.CIFAR10_CLASSES, train.classNames());
        // The record's 3072 bytes are R plane, G plane, B plane, each row-major: exactly the dataset's C·H·W.
        byte[] image7 = train.imageBytes(7);
        for (int k = 0; k < 3072; k++) {
            assertEquals((byte) (7 * 7 + k), image7[k]);
        }
        assertEquals((byte) (7 * 7 + 1024 + 32 * 5 + 6), image7[1024 + 32 * 5 + 6], "green, row 5, column 6");

        Dataset test = CifarReader.readCifar10(dir.resolve("cifar-10-batches-bin"), false);
        assertArrayEquals(new int[] {9, 4}, test.labels());
        assertEquals((byte) (101 * 7), test.imageBytes(1)[0]);
    }

    @Test
    void missingBatchFileIsNamed() throws IOException {
        Path bin = writeCifar10();
        Files.delete(bin.resolve("data_batch_4.bin"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> CifarReader.readCifar10(bin, true));
        assertTrue(e.getMessage().contains("data_batch_4.bin") && e.getMessage().contains("cifar-10-binary.tar.gz"),
                e.getMessage());
    }

    @Test
    void truncatedBatchIsRejected() throws IOException {
        Path bin = writeCifar10();
        byte[] bytes = Files.readAllBytes(bin.resolve("data_batch_2.bin"));
        Files.write(bin.resolve("data_batch_2.bin"), Arrays.copyOf(bytes, bytes.length - 100));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> CifarReader.readCifar10(bin, true));
        assertTrue(e.getMessage().contains("data_batch_2.bin") && e.getMessage().contains("3073-byte records"),
                e.getMessage());
    }

    @Test
    void labelOutOfRangeIsRejectedWithItsOffset() throws IOException {
        Path bin = writeCifar10();
        Fixtures.write(bin.resolve("test_batch.bin"), Fixtures.cifarRecords(new int[][] {{1}, {10}}, 0), false);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> CifarReader.readCifar10(bin, false));
        assertTrue(e.getMessage().contains("byte 3073") && e.getMessage().contains("label 10 of record 1"), e.getMessage());
    }

    @Test
    void wrongNumberOfClassNamesIsRejected() throws IOException {
        Path bin = writeCifar10();
        Files.writeString(bin.resolve("batches.meta.txt"), "cat\ndog\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> CifarReader.readCifar10(bin, true));
        assertTrue(e.getMessage().contains("2 class names, expected 10"), e.getMessage());
    }

    @Test
    void readsCifar100FineAndCoarseLabels() throws IOException {
        Path bin = dir.resolve("cifar-100-binary");
        Fixtures.write(bin.resolve("train.bin"), Fixtures.cifarRecords(new int[][] {{19, 99}, {0, 42}, {7, 3}}, 0), false);
        Files.writeString(bin.resolve("fine_label_names.txt"), String.join("\n", Dataset.numberedClasses(100)) + "\n");
        Files.writeString(bin.resolve("coarse_label_names.txt"), String.join("\n", Dataset.numberedClasses(20)) + "\n");
        Dataset fine = CifarReader.readCifar100(bin, true, false);
        assertArrayEquals(new int[] {99, 42, 3}, fine.labels());
        assertEquals(100, fine.numClasses());
        assertEquals((byte) (2 * 7), fine.imageBytes(2)[0]);
        Dataset coarse = CifarReader.readCifar100(bin, true, true);
        assertArrayEquals(new int[] {19, 0, 7}, coarse.labels());
        assertEquals(List.copyOf(Dataset.numberedClasses(20)), coarse.classNames());
    }
}
