package antidote.data.format;

import antidote.data.Dataset;
import antidote.data.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabelsGzippedOrNot(boolean gzip) throws IOException {
        byte[] pixels = Fixtures.randomBytes(5 * 4 * 3, new SplittableRandom(1));
        Path images = Fixtures.writeIdx(dir.resolve("imgs"), new int[] {5, 4, 3}, pixels, gzip);
        Path labels = Fixtures.writeIdx(dir.resolve("lbls"), new int[] {5}, new byte[] {3, 0, 9, 1, 1}, gzip);

        IdxArray array = IdxReader.read(images);
        assertArrayEquals(new int[] {5, 4, 3}, array.dims());
        assertArrayEquals(pixels, array.data());

        Dataset dataset = IdxReader.readDataset("t", images, labels, Dataset.numberedClasses(10));
        assertEquals(5, dataset.size());
        assertArrayEquals(new int[] {1, 4, 3}, dataset.imageShape());
        assertArrayEquals(new int[] {3, 0, 9, 1, 1}, dataset.labels());
        assertArrayEquals(Arrays.copyOfRange(pixels, 24, 36), dataset.imageBytes(2));
    }

    @Test
    void rejectsWrongMagicNumber() throws IOException {
        Path file = Fixtures.write(dir.resolve("bad"), new byte[] {0x50, 0x4b, 3, 4, 0, 0, 0, 0}, false);
        assertMessage(file, "bad IDX magic number 50 4b 03 04", "byte 0");
    }

    @Test
    void rejectsUnsupportedValueType() throws IOException {
        Path file = Fixtures.write(dir.resolve("floats"), new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}, false);
        assertMessage(file, "value type 0xd is not supported", "byte 2");
    }

    @Test
    void rejectsTruncatedFile() throws IOException {
        Path file = Fixtures.writeIdx(dir.resolve("t"), new int[] {10, 28, 28}, new byte[10 * 784 - 5], false);
        assertMessage(file, "need exactly 7856", "truncated");
    }

    @Test
    void rejectsTruncatedGzipFile() throws IOException {
        Path full = Fixtures.writeIdx(dir.resolve("full.gz"), new int[] {10, 28, 28},
                Fixtures.randomBytes(7840, new SplittableRandom(2)), true);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = Fixtures.write(dir.resolve("cut.gz"), Arrays.copyOf(bytes, bytes.length / 2), false);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.read(cut));
        assertTrue(e.getMessage().contains("cut.gz") && e.getMessage().contains("download it again"), e.getMessage());
    }

    @Test
    void rejectsDimensionsThatDisagreeWithFileSize() throws IOException {
        Path raw = Fixtures.writeIdx(dir.resolve("long"), new int[] {2, 2, 2}, new byte[9], false);
        assertMessage(raw, "need exactly 24", "disagree");
        Path gz = Fixtures.writeIdx(dir.resolve("long.gz"), new int[] {2, 2, 2}, new byte[9], true);
        assertMessage(gz, "decompresses to 25 bytes", "[2, 2, 2] need 24");
    }

    @Test
    void readsAGzipFileOfSeveralMembers() throws IOException {
        byte[] pixels = new byte[6 * 4 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        byte[] whole = Files.readAllBytes(Fixtures.writeIdx(dir.resolve("plain"), new int[] {6, 4, 3}, pixels, false));
        // Two gzip members back to back (what 'cat a.gz b.gz' or pigz writes): the trailer counts only the last.
        byte[] first = Files.readAllBytes(Fixtures.write(dir.resolve("m1.gz"), Arrays.copyOf(whole, 30), true));
        byte[] second = Files.readAllBytes(Fixtures.write(dir.resolve("m2.gz"),
                Arrays.copyOfRange(whole, 30, whole.length), true));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        Path members = Fixtures.write(dir.resolve("members.gz"), both, false);
        assertArrayEquals(pixels, IdxReader.read(members).data());
        Path cut = Fixtures.write(dir.resolve("members-cut.gz"), Arrays.copyOf(both, both.length - 10), false);
        assertMessage(cut, "cut short or corrupt", "download it again");
    }

    @Test
    void rejectsHostileHeaderBeforeAllocating() throws IOException {
        // 60000 x 60000 x 60000 bytes would be 2e14: refused from the header alone.
        Path huge = Fixtures.writeIdx(dir.resolve("huge"), new int[] {60000, 60000, 60000}, new byte[4], false);
        assertMessage(huge, "describe more than", "byte 4");
        // 2 GB claimed in a small gzip file: refused from its decompressed size, before allocating.
        Path big = Fixtures.writeIdx(dir.resolve("big.gz"), new int[] {2000, 1000, 1000}, new byte[100], true);
        long before = usedMemory();
        assertMessage(big, "decompresses to 116 bytes", "need 2000000016");
        assertTrue(usedMemory() - before < 500_000_000L, "no large allocation");
    }

    @Test
    void rejectsLabelOutOfRange() throws IOException {
        Path images = Fixtures.writeIdx(dir.resolve("i"), new int[] {3, 2, 2}, new byte[12], true);
        Path labels = Fixtures.writeIdx(dir.resolve("l"), new int[] {3}, new byte[] {1, 10, 2}, true);
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> IdxReader.readDataset("t", images, labels, Dataset.numberedClasses(10)));
        assertTrue(e.getMessage().contains("label 10 of sample 1 is outside [0, 10)") && e.getMessage().contains("byte 9"),
                e.getMessage());
        assertEquals(labels, e.file());
    }

    @Test
    void rejectsMismatchedCountsAndSwappedFiles() throws IOException {
        Path images = Fixtures.writeIdx(dir.resolve("i"), new int[] {3, 2, 2}, new byte[12], false);
        Path labels = Fixtures.writeIdx(dir.resolve("l"), new int[] {4}, new byte[4], false);
        MalformedDataException count = assertThrows(MalformedDataException.class,
                () -> IdxReader.readDataset("t", images, labels, Dataset.numberedClasses(10)));
        assertTrue(count.getMessage().contains("3 images but"), count.getMessage());
        MalformedDataException swapped = assertThrows(MalformedDataException.class,
                () -> IdxReader.readDataset("t", labels, images, Dataset.numberedClasses(10)));
        assertTrue(swapped.getMessage().contains("not swapped"), swapped.getMessage());
    }

    @Test
    void missingFileNamesThePath() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxReader.read(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    private static void assertMessage(Path file, String... parts) {
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.read(file));
        assertEquals(file, e.file());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
        }
    }

    private static long usedMemory() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
