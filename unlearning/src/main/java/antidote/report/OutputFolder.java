package antidote.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checks an output folder before any work starts, so that a run neither fails at its end (a file in the way,
 * a read-only place) nor writes over its own input.
 */
public final class OutputFolder {
    private OutputFolder() {
    }

    /**
     * Refuses {@code out} (given as {@code --out}) with a one-line {@link IllegalArgumentException} when it is an
     * existing file, cannot be written, or equals, contains or lies inside one of {@code inputs} (each keyed by
     * the option that named it; null paths are skipped). A missing folder is fine when its nearest existing
     * parent is writable: it is created later.
     */
    public static void check(Path out, Map<String, Path> inputs) {
        Path target = resolved(out);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is an existing file: name a folder (it is created "
                    + "if missing)");
        }
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            if (input.getValue() == null) {
                continue;
            }
            Path source = resolved(input.getValue());
            String relation = target.equals(source) ? "is" : target.startsWith(source) ? "is inside"
                    : source.startsWith(target) ? "contains" : null;
            if (relation != null) {
                throw new IllegalArgumentException("--out " + out + " " + relation + " the input " + input.getKey() + " "
                        + input.getValue() + ": name a folder outside it (inputs are never overwritten)");
            }
        }
        checkWritable(out, target);
    }

    /**
     * Creates and deletes a file in the nearest existing folder of {@code target}: {@code Files.isWritable} says
     * yes to root even on a read-only file system.
     */
    private static void checkWritable(Path out, Path target) {
        Path existing = target;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IllegalArgumentException("--out " + out + " cannot be created: " + existing
                    + " is not a folder; name a folder in a writable place");
        }
        try {
            Files.delete(Files.createTempFile(existing, ".antidote-write-check", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + out + " is not writable (cannot write in " + existing + ": "
                    + FileErrors.reason(e) + "); name a folder in a writable place");
        }
    }

    /** The absolute, normalised path with symbolic links of its existing part resolved. */
    private static Path resolved(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }
}
