package antidote.nn.io;

import antidote.nn.model.SmallVgg;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and broken files are rejected with a message naming the file, the tensor and the problem, and
 * without allocating anything large (measured with the thread's allocation counter).
 */
class BadCheckpointTest {
    /** Far below every size the hostile headers claim (100 MB headers, 2-10 GB tensors); class loading stays under it. */
    private static final long LARGE = 8L << 20;

    @TempDir
    static Path dir;

    @BeforeAll
    static void warmUp() throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes, so the no-large-allocation checks would be void");
        Path ok = write("ok", 8, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        try (SafetensorsFile f = SafetensorsFile.open(ok)) {
            assertEquals(List.of("w"), f.entries().stream().map(TensorEntry::name).toList());
        }
        assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(write("warm", 8, "[", 0)));
    }

    /** A file with the given 8-byte header length, header text and number of zero data bytes. */
    private static Path write(String name, long headerLength, String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength == 8 ? json.length : headerLength).put(json);
        Path file = dir.resolve(name + ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    private static Path write(String name, String header, int dataBytes) throws IOException {
        return write(name, 8, header, dataBytes);
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    /** Opens {@code file}, expects a rejection whose message holds every fragment, and checks allocation. */
    private static void assertRejected(Path file, String... fragments) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(file));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), "names the file: " + message);
        for (String f : fragments) {
            assertTrue(message.contains(f), "'" + f + "' in: " + message);
        }
        assertTrue(allocated < LARGE, "allocated " + allocated + " bytes while rejecting: " + message);
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[5]);
        assertRejected(file, "truncated: 5 bytes");
    }

    @Test
    void truncatedData() throws IOException {
        assertRejected(write("truncated", "{" + entry("w", "F32", "[4]", 0, 16) + "}", 8),
                "tensor 'w'", "reach past the end of the data section (8 bytes)", "truncated");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        assertRejected(write("longheader", 1000, "{}", 0), "header length 1000 is larger than the file (10 bytes)");
    }

    @Test
    void headerOver100Megabytes() throws IOException {
        assertRejected(write("hugeheader", 10_000_000_000L, "{}", 0), "header length 10000000000 exceeds the 100000000-byte limit");
        assertRejected(write("negheader", -1, "{}", 0), "header length 18446744073709551615 exceeds");
    }

    @Test
    void hostileTenGigabyteTensor() throws IOException {
        assertRejected(write("tengig", "{" + entry("w", "F32", "[50000,50000]", 0, 10_000_000_000L) + "}", 0),
                "tensor 'w'", "more than 2^31-1 elements");
        assertRejected(write("bigrange", "{" + entry("w", "F32", "[500000000]", 0, 2_000_000_000L) + "}", 0),
                "tensor 'w'", "reach past the end");
        assertRejected(write("over2gib", "{" + entry("w", "F32", "[600000000]", 0, 2_400_000_000L) + "}", 0),
                "tensor 'w'", "over 2 GiB");
    }

    @Test
    void overlappingOffsets() throws IOException {
        assertRejected(write("overlap", "{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("b", "F32", "[4]", 8, 24)
                + "}", 24), "tensor 'b'", "overlap those of 'a'");
    }

    @Test
    void outOfRangeOffsets() throws IOException {
        assertRejected(write("range", "{" + entry("w", "F32", "[1000]", 0, 4000) + "}", 16), "tensor 'w'", "[0, 4000]");
        assertRejected(write("backwards", "{" + entry("w", "F32", "[0]", 8, 4) + "}", 16), "tensor 'w'",
                "0 <= begin <= end");
        assertRejected(write("gap", "{" + entry("w", "F32", "[2]", 8, 16) + "}", 16), "tensor 'w'", "gap");
        assertRejected(write("trailing", "{" + entry("w", "F32", "[2]", 0, 8) + "}", 16), "trailing bytes");
    }

    @Test
    void unknownDtype() throws IOException {
        assertRejected(write("i8", "{" + entry("w", "I8", "[2]", 0, 2) + "}", 2), "tensor 'w'", "unknown dtype 'I8'");
    }

    @Test
    void shapeAndSizeMismatch() throws IOException {
        assertRejected(write("mismatch", "{" + entry("w", "F32", "[3]", 0, 16) + "}", 16), "tensor 'w'",
                "shape [3] of F32 needs 12 bytes but data_offsets [0, 16] span 16");
        assertRejected(write("negdim", "{" + entry("w", "F32", "[-1]", 0, 0) + "}", 0), "tensor 'w'", "dimension 0 is -1");
    }

    @Test
    void malformedHeaders() throws IOException {
        assertRejected(write("notjson", "{not json", 0), "not the safetensors JSON layout");
        assertRejected(write("dup", "{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}", 8),
                "tensor 'w'", "appears twice");
        assertRejected(write("field", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4),
                "tensor 'w'", "unknown header field 'x'");
        assertRejected(write("meta", "{\"__metadata__\":{\"seed\":1}}", 0), "not a string");
        assertRejected(write("utf8", 2, "{\u00e9}", 0), "not valid UTF-8");
    }

    @Test
    void checkpointWithAWrongShapeIsRejectedBeforeReadingTensors() throws IOException {
        SmallVgg model = new SmallVgg(1, 16, 16, 10, new SplittableRandom(1));
        Path file = dir.resolve("model.safetensors");
        Checkpoint.save(file, model, ModelInfo.of("SmallVgg", 10, model.inputShape(), 1));
        SmallVgg other = new SmallVgg(1, 16, 16, 5, new SplittableRandom(1));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Checkpoint.load(file, other));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("classifier.weight"), e.getMessage());
    }
}
