package antidote.nn.io;

import antidote.tensor.Shape;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and validated JSON header of a safetensors file: tensor entries in header order and the
 * {@code __metadata__} strings. Validation follows the format's reference implementation: known dtypes,
 * non-negative shapes whose byte size equals the offset range, and offset ranges that tile the data
 * section exactly (sorted, no overlap, no gap, no trailing bytes).
 */
record SafetensorsHeader(List<TensorEntry> entries, Map<String, String> metadata) {
    static final String METADATA_KEY = "__metadata__";

    /** Parses {@code json} (the header bytes of {@code file}) against a data section of {@code dataLength} bytes. */
    static SafetensorsHeader parse(Path file, byte[] json, long dataLength) throws SafetensorsException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(file, "header is not valid UTF-8; the file is corrupt or not safetensors");
        }
        List<TensorEntry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.beginObject();
            Set<String> seen = new HashSet<>();
            while (reader.hasNext()) {
                String name = reader.nextName();
                if (!seen.add(name)) {
                    throw new SafetensorsException(file, name, "appears twice in the header; names must be unique");
                }
                if (name.equals(METADATA_KEY)) {
                    readMetadata(file, reader, metadata);
                } else {
                    entries.add(readEntry(file, reader, name, dataLength));
                }
            }
            reader.endObject();
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new SafetensorsException(file, "header has data after its JSON object");
            }
        } catch (SafetensorsException e) {
            throw e;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new SafetensorsException(file, "header is not the safetensors JSON layout ({\"name\": {\"dtype\", "
                    + "\"shape\", \"data_offsets\"}, \"__metadata__\": {...}}): " + e.getMessage(), e);
        }
        checkTiling(file, entries, dataLength);
        return new SafetensorsHeader(List.copyOf(entries), Map.copyOf(metadata));
    }

    private static void readMetadata(Path file, JsonReader reader, Map<String, String> metadata) throws IOException {
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            if (reader.peek() != JsonToken.STRING) {
                throw new SafetensorsException(file, METADATA_KEY + " value for '" + key + "' is a "
                        + reader.peek() + ", not a string; metadata maps strings to strings");
            }
            metadata.put(key, reader.nextString());
        }
        reader.endObject();
    }

    private static TensorEntry readEntry(Path file, JsonReader reader, String name, long dataLength)
            throws IOException {
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            switch (key) {
                case "dtype" -> dtypeName = reader.nextString();
                case "shape" -> shape = readLongs(reader);
                case "data_offsets" -> offsets = readLongs(reader);
                default -> throw new SafetensorsException(file, name, "unknown header field '" + key
                        + "'; expected dtype, shape and data_offsets");
            }
        }
        reader.endObject();
        if (dtypeName == null || shape == null || offsets == null) {
            throw new SafetensorsException(file, name, "header entry needs dtype, shape and data_offsets");
        }
        String typeName = dtypeName;
        SafeDType dtype = SafeDType.parse(typeName).orElseThrow(() -> new SafetensorsException(file, name,
                "unknown dtype '" + typeName + "'; Antidote reads F16, BF16, F32, F64, I32 and I64 (convert the "
                        + "tensor, e.g. with .float() in PyTorch, before saving)"));
        Shape tensorShape = checkShape(file, name, shape);
        if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]) {
            throw new SafetensorsException(file, name, "data_offsets must be [begin, end] with 0 <= begin <= end");
        }
        long bytes = (long) tensorShape.size() * dtype.byteSize();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(file, name, "holds " + bytes + " bytes; tensors over 2 GiB cannot be "
                    + "read in one piece, split the tensor");
        }
        if (offsets[1] - offsets[0] != bytes) {
            throw new SafetensorsException(file, name, "shape " + tensorShape + " of " + dtype + " needs " + bytes
                    + " bytes but data_offsets [" + offsets[0] + ", " + offsets[1] + "] span "
                    + (offsets[1] - offsets[0]) + "; the header is inconsistent");
        }
        if (offsets[1] > dataLength) {
            throw new SafetensorsException(file, name, "data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] reach past the end of the data section (" + dataLength
                    + " bytes); the file is truncated or the offsets are wrong");
        }
        return new TensorEntry(name, dtype, tensorShape, offsets[0], offsets[1]);
    }

    private static long[] readLongs(JsonReader reader) throws IOException {
        List<Long> values = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
            values.add(reader.nextLong());
        }
        reader.endArray();
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static Shape checkShape(Path file, String name, long[] shape) throws SafetensorsException {
        int[] dims = new int[shape.length];
        long count = 1;
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] < 0 || shape[a] > Integer.MAX_VALUE) {
                throw new SafetensorsException(file, name, "dimension " + a + " is " + shape[a]
                        + "; dimensions must be in [0, 2^31-1]");
            }
            dims[a] = (int) shape[a];
            count *= dims[a];
            if (count > Integer.MAX_VALUE) {
                throw new SafetensorsException(file, name, "shape has more than 2^31-1 elements; split the tensor");
            }
        }
        return Shape.of(dims);
    }

    /** The byte ranges, sorted, must start at 0, follow each other without overlap or gap and end at the data end. */
    private static void checkTiling(Path file, List<TensorEntry> entries, long dataLength) throws SafetensorsException {
        List<TensorEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long expected = 0;
        String previous = null;
        for (TensorEntry e : sorted) {
            if (e.begin() < expected) {
                throw new SafetensorsException(file, e.name(), "data_offsets [" + e.begin() + ", " + e.end()
                        + "] overlap those of '" + previous + "' (which end at " + expected + ")");
            }
            if (e.begin() > expected) {
                throw new SafetensorsException(file, e.name(), "data_offsets start at " + e.begin() + " but the "
                        + "previous tensor ends at " + expected + "; the data section has a gap");
            }
            expected = e.end();
            previous = e.name();
        }
        if (expected != dataLength) {
            throw new SafetensorsException(file, "tensors cover " + expected + " bytes but the data section has "
                    + dataLength + "; the file has trailing bytes or a wrong header length");
        }
    }
}
