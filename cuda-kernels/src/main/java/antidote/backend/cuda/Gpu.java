package antidote.backend.cuda;

import antidote.core.DType;
import jcuda.driver.CUdeviceptr;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Map;

/**
 * What {@link CudaBackend} needs of a device: its memory pool, kernel launches and copies, all in the order
 * of one stream. {@link CudaContext} is the real one; tests replay the backend's launches on a recording fake
 * to check every call site against the compiled PTX without a GPU.
 */
interface Gpu {
    /** The device index within kind "cuda". */
    int index();

    DevicePool pool();

    /** Makes this device current on the calling thread; every backend entry point calls it first. */
    void enter();

    void launch(Kernel kernel, DType dtype, int gridX, int gridY, int gridZ, int blockX, int blockY, KernelArgs args);

    /** Host to device: all of {@code host} (an array-backed buffer), after queued work that may still read dst. */
    void upload(CUdeviceptr dst, Buffer host);

    /** Device to host: fills {@code host} (an array-backed buffer), after queued work that may still write src. */
    void download(Buffer host, CUdeviceptr src);

    /** Device to device, queued. */
    void copy(CUdeviceptr dst, CUdeviceptr src, long bytes);

    /** What the report records about the device (name, versions); the emulator and fakes give their name only. */
    default Map<String, Object> properties() {
        return Map.of("name", toString());
    }

    /** A 1-D launch of {@code threads} threads in blocks of {@link Kernel#THREADS}; nothing when there are none. */
    default void launch(Kernel kernel, DType dtype, long threads, KernelArgs args) {
        if (threads > 0) {
            launch(kernel, dtype, blocks(threads, Kernel.THREADS), 1, 1, Kernel.THREADS, 1, args);
        }
    }

    /** One block of {@link Kernel#REDUCE_BLOCK} threads per output. */
    default void launchBlocks(Kernel kernel, DType dtype, int outputs, KernelArgs args) {
        if (outputs > 0) {
            launch(kernel, dtype, outputs, 1, 1, Kernel.REDUCE_BLOCK, 1, args);
        }
    }

    /** Bytes of the remaining elements of a float, double or int buffer. */
    static long bytes(Buffer host) {
        int elementSize = host instanceof FloatBuffer ? Float.BYTES : host instanceof DoubleBuffer ? Double.BYTES
                : host instanceof IntBuffer ? Integer.BYTES : 0;
        if (elementSize == 0) {
            throw new IllegalArgumentException("only float, double and int buffers are copied, not " + host);
        }
        return (long) host.remaining() * elementSize;
    }

    /** Blocks of {@code perBlock} threads needed to cover {@code threads}. */
    static int blocks(long threads, int perBlock) {
        return Math.toIntExact((threads + perBlock - 1) / perBlock);
    }
}
