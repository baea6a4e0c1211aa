package antidote.backend.cuda;

import jcuda.driver.CUdeviceptr;

import java.nio.IntBuffer;

/**
 * Device memory used during one backend call only (index arrays, argmax results, cuDNN workspaces), taken
 * from the pool and given back on close. Giving it back while queued kernels may still use it is safe: the
 * next user of the block is queued behind them on the same stream.
 */
final class ScratchBuffer implements AutoCloseable {
    private final Gpu gpu;
    private final DevicePool.Block block;

    private ScratchBuffer(Gpu gpu, long bytes) {
        this.gpu = gpu;
        this.block = bytes == 0 ? null : gpu.pool().take(bytes);
    }

    /** Uninitialised space for {@code bytes}. */
    static ScratchBuffer allocate(Gpu gpu, long bytes) {
        return new ScratchBuffer(gpu, bytes);
    }

    /** A device copy of {@code values}. */
    static ScratchBuffer upload(Gpu gpu, int[] values) {
        ScratchBuffer scratch = new ScratchBuffer(gpu, (long) values.length * Integer.BYTES);
        gpu.upload(scratch.pointer(), IntBuffer.wrap(values));
        return scratch;
    }

    /** The first {@code count} ints, once the queued work has finished. */
    int[] downloadInts(int count) {
        int[] values = new int[count];
        gpu.download(IntBuffer.wrap(values), pointer());
        return values;
    }

    /** The start of the block (NULL for zero bytes). */
    CUdeviceptr pointer() {
        return block == null ? new CUdeviceptr() : block.pointer();
    }

    @Override
    public void close() {
        if (block != null) {
            gpu.pool().give(block);
        }
    }
}
