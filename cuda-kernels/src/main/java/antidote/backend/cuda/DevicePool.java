package antidote.backend.cuda;

import jcuda.driver.CUdeviceptr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A caching allocator of device memory. cuMemAlloc and cuMemFree are slow and synchronise the device, and a
 * training step allocates the same sizes over and over, so released blocks are kept in exact size classes and
 * handed out again. When the device runs out of memory the cache is freed and, if that is not enough, the
 * garbage collector is asked to run the Cleaners of unreachable buffers before one last try.
 *
 * <p>Reuse without synchronisation is safe because all work of a device runs in order on one stream: a kernel
 * that writes a reused block is queued after every kernel that read it before its release. {@link #give} makes
 * no CUDA call, so the Cleaner thread may call it.
 */
final class DevicePool {
    /** Allocation granularity below {@link #LARGE}: small buffers round up to a multiple of 512 bytes. */
    static final long SMALL_STEP = 512;
    /** From 1 MiB, buffers round up to a whole MiB. */
    static final long LARGE = 1 << 20;
    /** How long to let the Cleaner run after asking for a garbage collection. */
    private static final long GC_WAIT_MILLIS = 100;

    /** Where the memory really comes from: cuMemAlloc and cuMemFree, or a fake in tests. */
    interface Allocator {
        /** A new block of {@code bytes}, or null when the device is out of memory. */
        CUdeviceptr allocate(long bytes);

        void free(CUdeviceptr block);

        /** Waits for all queued work, before blocks it may still use are freed. */
        void synchronize();
    }

    /** One allocation of the rounded size {@code bytes}. */
    record Block(CUdeviceptr pointer, long bytes) {
    }

    private final Allocator allocator;
    private final Map<Long, ArrayDeque<Block>> cache = new HashMap<>();
    private long cachedBytes;
    private long liveBytes;
    private long peakLiveBytes;

    DevicePool(Allocator allocator) {
        this.allocator = allocator;
    }

    /** The size class of a request of {@code bytes} (at least 1). */
    static long roundUp(long bytes) {
        long step = bytes < LARGE ? SMALL_STEP : LARGE;
        return (Math.max(bytes, 1) + step - 1) / step * step;
    }

    /** A block of at least {@code bytes}, from the cache when one of that size class is free. */
    Block take(long bytes) {
        long size = roundUp(bytes);
        synchronized (this) {
            ArrayDeque<Block> free = cache.get(size);
            if (free != null && !free.isEmpty()) {
                cachedBytes -= size;
                addLive(size);
                return free.pop();
            }
        }
        CUdeviceptr p = allocator.allocate(size);
        if (p == null) {
            trim();
            p = allocator.allocate(size);
        }
        if (p == null) {
            // Buffers nobody references any more only come back once their Cleaners have run.
            System.gc();
            sleep();
            trim();
            p = allocator.allocate(size);
        }
        if (p != null) {
            synchronized (this) {
                addLive(size);
            }
            return new Block(p, size);
        }
        throw new IllegalStateException("out of GPU memory allocating " + size + " bytes (" + liveBytes()
                + " bytes held by live buffers); release tensors sooner with MemoryScope, use a smaller batch, or run"
                + " on the cpu device");
    }

    /** Returns a block for reuse; no CUDA call, so any thread may call it. */
    synchronized void give(Block block) {
        cache.computeIfAbsent(block.bytes(), s -> new ArrayDeque<>()).push(block);
        cachedBytes += block.bytes();
        liveBytes -= block.bytes();
    }

    /** Frees every cached block. */
    void trim() {
        List<Block> freed = new ArrayList<>();
        synchronized (this) {
            cache.values().forEach(freed::addAll);
            cache.clear();
            cachedBytes = 0;
        }
        if (!freed.isEmpty()) {
            allocator.synchronize();
            freed.forEach(b -> allocator.free(b.pointer()));
        }
    }

    synchronized long liveBytes() {
        return liveBytes;
    }

    /** The most bytes live buffers held at once since the pool was made or {@link #resetPeak} was last called. */
    synchronized long peakLiveBytes() {
        return peakLiveBytes;
    }

    /** Starts a new peak from the bytes live now. */
    synchronized void resetPeak() {
        peakLiveBytes = liveBytes;
    }

    private void addLive(long bytes) {
        liveBytes += bytes;
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
    }

    synchronized long cachedBytes() {
        return cachedBytes;
    }

    private static void sleep() {
        try {
            Thread.sleep(GC_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
