package antidote.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Each refusal of an output folder, and the folders it accepts. */
class OutputFolderTest {

    private static String refusal(Path out, Map<String, Path> inputs) {
        return assertThrows(IllegalArgumentException.class, () -> OutputFolder.check(out, inputs)).getMessage();
    }

    @Test
    void aFolderOutsideTheInputsExistingOrNotIsAccepted(@TempDir Path dir) throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("--run", run);
        inputs.put("--data-dir", null);
        assertDoesNotThrow(() -> OutputFolder.check(dir.resolve("new/deeper"), inputs));
        assertDoesNotThrow(() -> OutputFolder.check(Files.createDirectories(dir.resolve("runner")), inputs));
    }

    @Test
    void anOutThatIsContainsOrLiesInsideAnInputIsRefusedWithBothPaths(@TempDir Path dir) throws IOException {
        Path run = Files.createDirectories(dir.resolve("runs/a"));
        Map<String, Path> inputs = Map.of("--run", run);
        for (Path out : new Path[] {run, dir.resolve("runs/a/./"), dir.resolve("runs/b/../a/ibau"), dir.resolve("runs")}) {
            String message = refusal(out, inputs);
            assertTrue(message.contains("--out " + out) && message.contains("--run " + run)
                    && message.contains("outside"), message);
        }
        Path link = Files.createSymbolicLink(dir.resolve("link"), run);
        assertTrue(refusal(link.resolve("out"), inputs).contains("is inside"));
    }

    @Test
    void anExistingFileOrAPathUnderAFileIsRefused(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("model.safetensors"), "x");
        assertTrue(refusal(file, Map.of()).contains("is an existing file"));
        assertTrue(refusal(file.resolve("sub"), Map.of()).contains("is not a folder"));
    }

    @Test
    void aReadOnlyFolderIsRefused(@TempDir Path dir) throws IOException {
        Path readOnly = Files.createDirectories(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            boolean canStillWrite;
            try {
                Files.delete(Files.createTempFile(readOnly, "probe", ".tmp"));
                canStillWrite = true;
            } catch (IOException e) {
                canStillWrite = false;
            }
            assumeFalse(canStillWrite, "running as root: permissions do not stop writes");
            String message = refusal(readOnly.resolve("out"), Map.of());
            assertTrue(message.contains("not writable") && message.contains("permission denied"), message);
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
