package antidote.backend.cuda;

import antidote.core.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory pool, scopes and the Cleaner safety net, on a fake allocator: this logic needs no GPU. (Only the
 * real cuMemAlloc/cuMemFree behind it does.)
 */
class DevicePoolTest {

    @Test
    void sizesRoundUpToTheirClass() {
        assertEquals(512, DevicePool.roundUp(0));
        assertEquals(512, DevicePool.roundUp(1));
        assertEquals(512, DevicePool.roundUp(512));
        assertEquals(1024, DevicePool.roundUp(513));
        assertEquals(1 << 20, DevicePool.roundUp((1 << 20) - 1));
        assertEquals(2 << 20, DevicePool.roundUp((1 << 20) + 1));
    }

    @Test
    void releasedBlocksAreReusedBySameSizeClassOnly() {
        FakeAllocator allocator = new FakeAllocator(1 << 30);
        DevicePool pool = new DevicePool(allocator);
        DevicePool.Block a = pool.take(1000);
        pool.give(a);
        assertSame(a, pool.take(600), "600 and 1000 bytes share the 1024-byte class");
        DevicePool.Block b = pool.take(100);
        assertEquals(2, allocator.allocations);
        pool.give(b);
        assertEquals(512, pool.cachedBytes());
        assertEquals(1024, pool.liveBytes());
    }

    @Test
    void outOfMemoryFreesTheCacheAndRetries() {
        FakeAllocator allocator = new FakeAllocator(4096);
        DevicePool pool = new DevicePool(allocator);
        pool.give(pool.take(2048));
        pool.give(pool.take(1024));
        DevicePool.Block big = pool.take(4096);
        assertEquals(2, allocator.freed.size(), "both cached blocks were freed to make room");
        assertEquals(4096, big.bytes());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.take(512));
        assertTrue(e.getMessage().contains("out of GPU memory"), e.getMessage());
    }

    @Test
    void scopeReleasesWhatItAllocatedAndKeepMovesToTheEnclosingScope() {
        DevicePool pool = new DevicePool(new FakeAllocator(1 << 30));
        DeviceBuffer outside = DeviceBuffer.allocate(pool, DType.FLOAT32, 10);
        DeviceBuffer kept;
        DeviceBuffer inner;
        try (MemoryScope outer = MemoryScope.open()) {
            DeviceBuffer temp = DeviceBuffer.allocate(pool, DType.FLOAT64, 10);
            try (MemoryScope step = MemoryScope.open()) {
                inner = DeviceBuffer.allocate(pool, DType.FLOAT32, 3);
                kept = DeviceBuffer.allocate(pool, DType.FLOAT32, 4);
                assertSame(kept, step.keep(kept));
                assertEquals(1, step.ownedCount());
            }
            assertTrue(inner.isReleased(), "the inner scope released its buffer");
            assertFalse(kept.isReleased(), "a kept buffer survives its scope");
            assertEquals(2, outer.ownedCount(), "the kept buffer moved to the enclosing scope");
            assertFalse(temp.isReleased());
        }
        assertTrue(kept.isReleased(), "the enclosing scope released the kept buffer at its close");
        assertFalse(outside.isReleased(), "a buffer allocated outside every scope is left to the Cleaner");
        IllegalStateException e = assertThrows(IllegalStateException.class, inner::pointer);
        assertTrue(e.getMessage().contains("keep"), e.getMessage());
        assertEquals(512, pool.liveBytes(), "only the outside buffer is live");
    }

    @Test
    void releaseIsIdempotentAndEmptyBuffersHoldNoMemory() {
        DevicePool pool = new DevicePool(new FakeAllocator(1 << 30));
        DeviceBuffer b = DeviceBuffer.allocate(pool, DType.FLOAT32, 5);
        b.release();
        b.release();
        assertEquals(0, pool.liveBytes());
        assertEquals(512, pool.cachedBytes());
        DeviceBuffer empty = DeviceBuffer.allocate(pool, DType.FLOAT64, 0);
        assertEquals(0, empty.size());
        assertEquals(0, pool.liveBytes());
    }

    @Test
    void scopesCloseInnermostFirstAndOnlyOnTheirThread() throws InterruptedException {
        MemoryScope outer = MemoryScope.open();
        MemoryScope inner = MemoryScope.open();
        assertThrows(IllegalStateException.class, outer::close);
        Throwable[] fromOtherThread = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                inner.close();
            } catch (Throwable e) {
                fromOtherThread[0] = e;
            }
        });
        t.start();
        t.join();
        assertTrue(fromOtherThread[0] instanceof IllegalStateException, "closing from another thread must fail");
        inner.close();
        outer.close();
        outer.close();
    }

    @Test
    void theCleanerReturnsUnreachableBuffersToThePool() throws InterruptedException {
        DevicePool pool = new DevicePool(new FakeAllocator(1 << 30));
        allocateAndDrop(pool);
        assertEquals(512, pool.liveBytes());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pool.liveBytes() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(0, pool.liveBytes(), "the Cleaner did not return an unreachable buffer within 10 s");
        assertEquals(512, pool.cachedBytes());
    }

    private static void allocateAndDrop(DevicePool pool) {
        DeviceBuffer.allocate(pool, DType.FLOAT32, 100);
    }
}
