package antidote.backend.cuda;

import antidote.core.DType;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Gpu} whose kernels run on the CPU: the kernel sources compiled as host C++ (src/test/cuda/emulator.cpp,
 * with AddressSanitizer and UBSan), in a child process that holds the "device" memory. It checks the kernels'
 * logic and the backend's host code together without a GPU; it says nothing about the PTX, the driver, or the
 * hardware's float rounding.
 */
final class EmulatedGpu implements Gpu {
    /**
     * The cuda-kernels module folder: the working directory of its own tests; other modules' tests (which use this
     * class from the test-jar) name it with {@code -Dantidote.cuda.module=PATH}.
     */
    private static final Path MODULE = Path.of(System.getProperty("antidote.cuda.module", "."));
    private static final Path SOURCE = MODULE.resolve("src/test/cuda/emulator.cpp");
    private static final Path BINARY = MODULE.resolve("target/cuda-emulator/emulator");
    private static final Field NATIVE_POINTER = field(NativePointerObject.class, "nativePointer");
    private static final Field BYTE_OFFSET = field(Pointer.class, "byteOffset");

    private final Process process;
    private final OutputStream out;
    private final DataInputStream in;
    private final DevicePool pool;

    private EmulatedGpu(Process process) {
        this.process = process;
        this.out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        this.pool = new DevicePool(new DevicePool.Allocator() {
            @Override
            public CUdeviceptr allocate(long bytes) {
                CUdeviceptr p = new CUdeviceptr();
                long address = request(message(9).put((byte) 1).putLong(bytes), 8).getLong();
                set(p, address);
                return p;
            }

            @Override
            public void free(CUdeviceptr block) {
                request(message(9).put((byte) 2).putLong(address(block)), 0);
            }

            @Override
            public void synchronize() {
            }
        });
    }

    /**
     * Compiles the emulator when its sources are newer than the binary, and starts it. Throws IOException, with
     * g++'s output, when g++ is missing or cannot build it (e.g. no AddressSanitizer runtime).
     */
    static synchronized EmulatedGpu start() throws IOException, InterruptedException {
        if (!Files.exists(BINARY) || Files.getLastModifiedTime(BINARY).compareTo(newestSource()) < 0) {
            Files.createDirectories(BINARY.getParent());
            Process gxx = new ProcessBuilder("g++", "-std=c++20", "-O1", "-g", "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=undefined", "-Wall", "-Wno-unknown-pragmas", "-Wno-sign-compare",
                    "-I", MODULE.resolve("src/main/cuda").toString(), "-o", BINARY.toString(), SOURCE.toString())
                    .redirectErrorStream(true).start();
            String log = new String(gxx.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gxx.waitFor(300, TimeUnit.SECONDS) || gxx.exitValue() != 0) {
                throw new IOException("compiling the kernel emulator failed:\n" + log);
            }
        }
        // ASan warns once that it cannot follow the fibers' stack switches exactly; that warning is expected.
        ProcessBuilder builder = new ProcessBuilder(BINARY.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        // Pooled blocks are never freed before exit; that is not a leak worth a report.
        builder.environment().put("ASAN_OPTIONS", "detect_leaks=0");
        Process process = builder.start();
        return new EmulatedGpu(process);
    }

    private static FileTime newestSource() throws IOException {
        List<Path> sources = new ArrayList<>(List.of(SOURCE, MODULE.resolve("src/test/cuda/cuda_host_shim.h")));
        try (var files = Files.list(MODULE.resolve("src/main/cuda"))) {
            files.forEach(sources::add);
        }
        FileTime newest = FileTime.fromMillis(0);
        for (Path p : sources) {
            FileTime t = Files.getLastModifiedTime(p);
            newest = t.compareTo(newest) > 0 ? t : newest;
        }
        return newest;
    }

    @Override
    public int index() {
        return 0;
    }

    @Override
    public DevicePool pool() {
        return pool;
    }

    @Override
    public void enter() {
    }

    @Override
    public synchronized void launch(Kernel kernel, DType dtype, int gridX, int gridY, int gridZ, int blockX,
                                    int blockY, KernelArgs args) {
        byte[] name = kernel.symbol(dtype).getBytes(StandardCharsets.US_ASCII);
        List<byte[]> raw = new ArrayList<>();
        for (Object value : args.values()) {
            raw.add(encode(value));
        }
        int size = 1 + 4 + name.length + 6 * 4 + 4 + raw.stream().mapToInt(r -> 4 + r.length).sum();
        ByteBuffer m = message(size).put((byte) 6).putInt(name.length).put(name)
                .putInt(gridX).putInt(gridY).putInt(gridZ).putInt(blockX).putInt(blockY).putInt(1).putInt(raw.size());
        raw.forEach(r -> m.putInt(r.length).put(r));
        request(m, 0);
    }

    @Override
    public synchronized void upload(CUdeviceptr dst, Buffer host) {
        int bytes = Math.toIntExact(Gpu.bytes(host));
        ByteBuffer m = message(17 + bytes).put((byte) 3).putLong(address(dst)).putLong(bytes);
        if (host instanceof FloatBuffer f) {
            m.asFloatBuffer().put(f.duplicate());
        } else if (host instanceof DoubleBuffer d) {
            m.asDoubleBuffer().put(d.duplicate());
        } else {
            m.asIntBuffer().put(((IntBuffer) host).duplicate());
        }
        m.position(m.limit());
        request(m, 0);
    }

    @Override
    public synchronized void download(Buffer host, CUdeviceptr src) {
        int bytes = Math.toIntExact(Gpu.bytes(host));
        ByteBuffer data = request(message(17).put((byte) 4).putLong(address(src)).putLong(bytes), bytes);
        if (host instanceof FloatBuffer f) {
            f.duplicate().put(data.asFloatBuffer());
        } else if (host instanceof DoubleBuffer d) {
            d.duplicate().put(data.asDoubleBuffer());
        } else {
            ((IntBuffer) host).duplicate().put(data.asIntBuffer());
        }
    }

    @Override
    public synchronized void copy(CUdeviceptr dst, CUdeviceptr src, long bytes) {
        if (bytes > 0) {
            request(message(25).put((byte) 5).putLong(address(dst)).putLong(address(src)).putLong(bytes), 0);
        }
    }

    @Override
    public String toString() {
        return "the CPU kernel emulator";
    }

    private static ByteBuffer message(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] encode(Object value) {
        if (value instanceof CUdeviceptr p) {
            return message(8).putLong(address(p)).array();
        }
        if (value instanceof Integer i) {
            return message(4).putInt(i).array();
        }
        if (value instanceof Double d) {
            return message(8).putDouble(d).array();
        }
        int[] fields = (int[]) value;
        ByteBuffer b = message(fields.length * 4);
        b.asIntBuffer().put(fields);
        return b.array();
    }

    /** Sends one request and returns the reply's payload of {@code replyBytes}; an error reply throws. */
    private synchronized ByteBuffer request(ByteBuffer message, int replyBytes) {
        try {
            out.write(message.array(), 0, message.position());
            out.flush();
            int status = in.read();
            if (status == 1) {
                byte[] length = in.readNBytes(4);
                int n = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getInt();
                throw new IllegalStateException("emulated kernel failed: "
                        + new String(in.readNBytes(n), StandardCharsets.UTF_8));
            }
            if (status != 0) {
                throw new IllegalStateException("the kernel emulator died (exit " + waitForExit()
                        + "); AddressSanitizer's report, if any, is on stderr above");
            }
            return ByteBuffer.wrap(in.readNBytes(replyBytes)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("talking to the kernel emulator", e);
        }
    }

    private int waitForExit() {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long address(CUdeviceptr p) {
        try {
            return NATIVE_POINTER.getLong(p) + BYTE_OFFSET.getLong(p);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(CUdeviceptr p, long address) {
        try {
            NATIVE_POINTER.setLong(p, address);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("JCuda's " + type.getName() + "." + name + " is gone; update EmulatedGpu", e);
        }
    }
}
