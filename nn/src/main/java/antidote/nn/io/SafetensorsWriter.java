package antidote.nn.io;

import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes safetensors files atomically: the bytes go to a temporary file next to the target, are forced to
 * disk, and the temporary file is renamed over the target. Tensors are laid out in the given order; the
 * header is padded with spaces to a multiple of 8 bytes so that the data is aligned.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} and {@code metadata} (stored as {@code __metadata__}) to {@code path}. */
    public static void write(Path path, List<NamedTensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(path, tensors, metadata);
        Path target = path.toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                writeFully(out, ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                writeFully(out, ByteBuffer.wrap(header));
                for (NamedTensor t : tensors) {
                    writeFully(out, data(path, t));
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static byte[] header(Path path, List<NamedTensor> tensors, Map<String, String> metadata)
            throws IOException {
        StringWriter text = new StringWriter();
        Set<String> names = new HashSet<>();
        try (JsonWriter json = new JsonWriter(text)) {
            json.beginObject();
            if (!metadata.isEmpty()) {
                json.name(SafetensorsHeader.METADATA_KEY).beginObject();
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    json.name(m.getKey()).value(m.getValue());
                }
                json.endObject();
            }
            long offset = 0;
            for (NamedTensor t : tensors) {
                if (t.name().equals(SafetensorsHeader.METADATA_KEY) || !names.add(t.name())) {
                    throw new SafetensorsException(path, t.name(), "name is reserved or used twice; rename the tensor");
                }
                long bytes = (long) t.tensor().size() * t.dtype().byteSize();
                json.name(t.name()).beginObject();
                json.name("dtype").value(t.dtype().name());
                json.name("shape").beginArray();
                for (int d : t.tensor().shape().dims()) {
                    json.value(d);
                }
                json.endArray();
                json.name("data_offsets").beginArray().value(offset).value(offset + bytes).endArray();
                json.endObject();
                offset += bytes;
            }
            json.endObject();
        }
        byte[] raw = text.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(raw, 0, out, 0, raw.length);
        for (int i = raw.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static ByteBuffer data(Path path, NamedTensor t) throws SafetensorsException {
        int n = t.tensor().size();
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(n, t.dtype().byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case F16, BF16 -> {
                float[] v = t.tensor().toFloatArray();
                for (int i = 0; i < n; i++) {
                    short bits = HalfFloats.narrow(t.dtype(), v[i]);
                    if (Float.isFinite(v[i]) && Float.isInfinite(HalfFloats.widen(t.dtype(), bits))) {
                        throw new SafetensorsException(path, t.name(), "value " + v[i] + " at index " + i
                                + " is too large for " + t.dtype() + "; save this tensor as F32");
                    }
                    buffer.putShort(i * Short.BYTES, bits);
                }
            }
            case F32 -> buffer.asFloatBuffer().put(t.tensor().toFloatArray());
            case F64 -> buffer.asDoubleBuffer().put(t.tensor().toDoubleArray());
            case I32, I64 -> {
                double[] v = t.tensor().toDoubleArray();
                double limit = t.dtype() == SafeDType.I32 ? Integer.MAX_VALUE : 0x1p63;
                for (int i = 0; i < n; i++) {
                    if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) >= limit) {
                        throw new SafetensorsException(path, t.name(), "value " + v[i] + " at index " + i
                                + " is not a whole number in range and cannot be stored as " + t.dtype());
                    }
                    if (t.dtype() == SafeDType.I32) {
                        buffer.putInt(i * Integer.BYTES, (int) v[i]);
                    } else {
                        buffer.putLong(i * Long.BYTES, (long) v[i]);
                    }
                }
            }
        }
        return buffer;
    }
}
