package antidote.backend.cuda;

import antidote.backend.Storage;
import antidote.core.DType;
import jcuda.driver.CUdeviceptr;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link Storage} of the CUDA backend: a block of device memory from a {@link DevicePool}. It is released
 * once: by the {@link MemoryScope} that owns it, or by the Cleaner when it becomes unreachable.
 */
final class DeviceBuffer implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final DType dtype;
    private final int size;
    private final DevicePool pool;
    private final Lease lease;
    private final Cleaner.Cleanable cleanable;

    private DeviceBuffer(DType dtype, int size, DevicePool pool) {
        this.dtype = dtype;
        this.size = size;
        this.pool = pool;
        // A size-0 buffer holds no block; its pointer is NULL and no kernel ever reads it.
        this.lease = size == 0 ? null : new Lease(pool, pool.take((long) size * dtype.byteSize()));
        this.cleanable = lease == null ? null : CLEANER.register(this, lease);
    }

    /** A new buffer of {@code size} elements, owned by this thread's innermost open {@link MemoryScope}, if any. */
    static DeviceBuffer allocate(DevicePool pool, DType dtype, int size) {
        DeviceBuffer buffer = new DeviceBuffer(dtype, size, pool);
        MemoryScope.adopt(buffer);
        return buffer;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int size() {
        return size;
    }

    long bytes() {
        return (long) size * dtype.byteSize();
    }

    DevicePool pool() {
        return pool;
    }

    /** The device address; fails once the buffer has been released, so a stale tensor never reads reused memory. */
    CUdeviceptr pointer() {
        if (lease == null) {
            return new CUdeviceptr();
        }
        if (lease.released.get()) {
            throw new IllegalStateException("this CUDA tensor's memory was released when its MemoryScope closed;"
                    + " call scope.keep(tensor) inside the scope for results that must outlive it");
        }
        return lease.block.pointer();
    }

    /** Gives the memory back to the pool now; idempotent. */
    void release() {
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    boolean isReleased() {
        return lease != null && lease.released.get();
    }

    @Override
    public String toString() {
        return "cuda " + dtype + "[" + size + "]" + (isReleased() ? " (released)" : "");
    }

    /**
     * The cleaning action. It must not refer to its DeviceBuffer (the Cleaner would then keep the buffer
     * reachable forever), so it holds only the pool and the block.
     */
    private static final class Lease implements Runnable {
        private final DevicePool pool;
        private final DevicePool.Block block;
        private final AtomicBoolean released = new AtomicBoolean();

        Lease(DevicePool pool, DevicePool.Block block) {
            this.pool = pool;
            this.block = block;
        }

        @Override
        public void run() {
            if (released.compareAndSet(false, true)) {
                pool.give(block);
            }
        }
    }
}
