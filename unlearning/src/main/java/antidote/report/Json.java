package antidote.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** JSON for reports: pretty-printed, NaN-tolerant, and written atomically (temporary file, then rename). */
public final class Json {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();
    private static final Gson COMPACT = new GsonBuilder().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private Json() {
    }

    public static String pretty(Object value) {
        return GSON.toJson(value);
    }

    /** One line, for machine-readable output. */
    public static String compact(Object value) {
        return COMPACT.toJson(value);
    }

    public static JsonElement tree(Object value) {
        return GSON.toJsonTree(value);
    }

    public static <T> T read(Path path, Class<T> type) throws IOException {
        return GSON.fromJson(Files.readString(path, StandardCharsets.UTF_8), type);
    }

    /** Writes {@code value} as JSON to {@code path}; a reader never sees a half-written file. */
    public static void write(Path path, Object value) throws IOException {
        writeAtomically(path, pretty(value) + "\n");
    }

    /** Writes text to a temporary file beside {@code path}, then renames it over {@code path}. */
    public static void writeAtomically(Path path, String text) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
