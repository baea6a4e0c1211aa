package antidote.report;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A strict JSON check (RFC 8259: no NaN, no Infinity, one value, nothing after it) for the files a run writes. */
public final class StrictJson {
    private StrictJson() {
    }

    /** Parses {@code text} strictly; throws naming {@code what} and Gson's reason when it is not valid JSON. */
    public static void check(String what, String text) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setLenient(false);
            consume(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new AssertionError(what + ": text after the JSON value");
            }
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new AssertionError(what + " is not strict JSON: " + e.getMessage(), e);
        }
    }

    /** Checks every {@code .json} file under {@code dir}; returns how many there were. */
    public static int checkAll(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).toList();
        }
        for (Path file : files) {
            check(file.toString(), Files.readString(file));
        }
        return files.size();
    }

    private static void consume(JsonReader reader) throws IOException {
        switch (reader.peek()) {
            case BEGIN_ARRAY -> {
                reader.beginArray();
                while (reader.hasNext()) {
                    consume(reader);
                }
                reader.endArray();
            }
            case BEGIN_OBJECT -> {
                reader.beginObject();
                while (reader.hasNext()) {
                    reader.nextName();
                    consume(reader);
                }
                reader.endObject();
            }
            case NUMBER -> reader.nextDouble();
            case STRING -> reader.nextString();
            case BOOLEAN -> reader.nextBoolean();
            case NULL -> reader.nextNull();
            default -> throw new IllegalStateException("unexpected " + reader.peek() + " at " + reader.getPath());
        }
    }
}
