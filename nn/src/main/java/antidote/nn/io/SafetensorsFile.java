package antidote.nn.io;

import antidote.core.DType;
import antidote.core.Device;
import antidote.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * An open safetensors file whose header has been read and validated; tensors are read one at a time on
 * request. Nothing larger than the header (at most {@link #MAX_HEADER_BYTES}, and never more than the file
 * holds) is allocated before a tensor is asked for, and each tensor's buffer is sized from offsets already
 * checked against the file size.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The largest header accepted, as in the format's reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final long dataStart;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header, long dataStart) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.dataStart = dataStart;
    }

    /** Opens {@code path} and validates its header. */
    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < Long.BYTES) {
                throw new SafetensorsException(path, "truncated: " + size
                        + " bytes, shorter than the 8-byte header length that starts every safetensors file");
            }
            long headerLength = read(path, channel, 0, Long.BYTES).getLong(0);
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new SafetensorsException(path, "header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the " + MAX_HEADER_BYTES + "-byte limit; the file is corrupt or hostile");
            }
            if (headerLength > size - Long.BYTES) {
                throw new SafetensorsException(path, "header length " + headerLength + " is larger than the file ("
                        + size + " bytes); the file is truncated or not safetensors");
            }
            byte[] json = new byte[(int) headerLength];
            read(path, channel, Long.BYTES, (int) headerLength).get(json);
            long dataStart = Long.BYTES + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(path, json, size - dataStart);
            return new SafetensorsFile(path, channel, header, dataStart);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static ByteBuffer read(Path path, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new SafetensorsException(path, "ended at byte " + (position + buffer.position()) + " while "
                        + (position + length) + " were expected; the file is truncated or changed while reading");
            }
        }
        return buffer.flip();
    }

    /** The tensors described by the header, in header order. */
    public List<TensorEntry> entries() {
        return header.entries();
    }

    /** The {@code __metadata__} strings (empty when the header has none). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The entry named {@code name}. */
    public TensorEntry entry(String name) throws SafetensorsException {
        return header.entries().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new SafetensorsException(path, name, "not in the file; it holds "
                        + header.entries().stream().map(TensorEntry::name).toList()));
    }

    /**
     * Reads tensor {@code name} as {@code dtype} on {@code device}: F16 and BF16 widen exactly to float, F64 is
     * rounded when {@code dtype} is float32, integers must fit a double exactly.
     */
    public Tensor read(String name, DType dtype, Device device) throws IOException {
        TensorEntry e = entry(name);
        ByteBuffer bytes = read(path, channel, dataStart + e.begin(), (int) e.byteLength());
        int n = e.shape().size();
        Tensor t = switch (e.dtype()) {
            case F16, BF16 -> Tensor.fromArray(widen(e.dtype(), bytes, n), e.shape(), device);
            case F32 -> {
                float[] v = new float[n];
                bytes.asFloatBuffer().get(v);
                yield Tensor.fromArray(v, e.shape(), device);
            }
            case F64 -> {
                double[] v = new double[n];
                bytes.asDoubleBuffer().get(v);
                yield Tensor.fromArray(v, e.shape(), device);
            }
            case I32 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = bytes.getInt();
                }
                yield Tensor.fromArray(v, e.shape(), device);
            }
            case I64 -> Tensor.fromArray(exactDoubles(e, bytes, n), e.shape(), device);
        };
        return t.to(dtype);
    }

    private static float[] widen(SafeDType type, ByteBuffer bytes, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = HalfFloats.widen(type, bytes.getShort());
        }
        return v;
    }

    private double[] exactDoubles(TensorEntry e, ByteBuffer bytes, int n) throws SafetensorsException {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            long x = bytes.getLong();
            if (x > (1L << 53) || x < -(1L << 53)) {
                throw new SafetensorsException(path, e.name(), "I64 value " + x + " at index " + i
                        + " does not fit a float exactly (|x| > 2^53)");
            }
            v[i] = x;
        }
        return v;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
