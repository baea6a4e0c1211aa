package antidote.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON for reports: pretty-printed, strict, and written atomically (temporary file, then rename). JSON has no
 * NaN or Infinity, so such a number is written as null, and an object's {@code "null_values"} entry says which
 * ones were null and what they were (a NaN loss, for instance, is a loss that was not measured).
 */
public final class Json {
    /** The key under which an object lists the non-finite numbers written as null. */
    public static final String NULL_VALUES = "null_values";
    private static final Gson TREE = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping()
            .create();
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
            .create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private Json() {
    }

    public static String pretty(Object value) {
        return GSON.toJson(tree(value));
    }

    /** One line, for machine-readable output. */
    public static String compact(Object value) {
        return COMPACT.toJson(tree(value));
    }

    /** {@code value} as a JSON tree with every NaN or infinite number replaced by null and listed (see above). */
    public static JsonElement tree(Object value) {
        JsonElement tree = TREE.toJsonTree(value);
        List<String> replaced = new ArrayList<>();
        JsonElement strict = finite(tree, "", replaced);
        if (!replaced.isEmpty() && strict.isJsonObject()) {
            JsonArray notes = new JsonArray();
            replaced.forEach(notes::add);
            strict.getAsJsonObject().add(NULL_VALUES, notes);
        }
        return strict;
    }

    /** A copy of {@code e} with non-finite numbers as null; adds "path was NaN" to {@code replaced} for each. */
    private static JsonElement finite(JsonElement e, String path, List<String> replaced) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double v = e.getAsDouble();
            if (!Double.isFinite(v)) {
                replaced.add((path.isEmpty() ? "value" : path) + " was " + (Double.isNaN(v) ? "NaN (not measured or "
                        + "undefined)" : v > 0 ? "Infinity" : "-Infinity"));
                return JsonNull.INSTANCE;
            }
            return e;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            JsonArray in = e.getAsJsonArray();
            for (int i = 0; i < in.size(); i++) {
                out.add(finite(in.get(i), path + "[" + i + "]", replaced));
            }
            return out;
        }
        if (e.isJsonObject()) {
            JsonObject out = new JsonObject();
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                out.add(entry.getKey(), finite(entry.getValue(), path.isEmpty() ? entry.getKey()
                        : path + "." + entry.getKey(), replaced));
            }
            return out;
        }
        return e;
    }

    /** Reads {@code path} as {@code type}; a missing, unreadable or malformed file is one line naming the file. */
    public static <T> T read(Path path, Class<T> type) throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw FileErrors.of("read", path, e);
        }
        try {
            T value = GSON.fromJson(text, type);
            if (value == null) {
                throw new IOException(path + " is empty: expected a JSON object");
            }
            return value;
        } catch (JsonParseException e) {
            throw new IOException(path + " is not valid JSON (" + firstLine(e) + ")", e);
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        // Gson appends a link to its troubleshooting page after the first line.
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).replace("Use JsonReader.setLenient(true) to accept "
                + "malformed JSON ", "");
    }

    /** Writes {@code value} as JSON to {@code path}; a reader never sees a half-written file. */
    public static void write(Path path, Object value) throws IOException {
        writeAtomically(path, pretty(value) + "\n");
    }

    /** Writes text to a temporary file beside {@code path}, then renames it over {@code path}. */
    public static void writeAtomically(Path path, String text) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        } catch (IOException e) {
            throw FileErrors.of("write", path, e);
        }
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw FileErrors.of("write", path, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
