package antidote.backend.cuda;

import jcuda.driver.CUdeviceptr;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Stands in for cuMemAlloc/cuMemFree: fresh handles (NULL addresses) up to a capacity, with frees recorded. */
final class FakeAllocator implements DevicePool.Allocator {
    final long capacity;
    long used;
    int allocations;
    final List<CUdeviceptr> freed = new ArrayList<>();
    private final Map<CUdeviceptr, Long> sizes = new IdentityHashMap<>();

    FakeAllocator(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized CUdeviceptr allocate(long bytes) {
        if (used + bytes > capacity) {
            return null;
        }
        used += bytes;
        allocations++;
        CUdeviceptr p = new CUdeviceptr();
        sizes.put(p, bytes);
        return p;
    }

    @Override
    public synchronized void free(CUdeviceptr block) {
        used -= sizes.remove(block);
        freed.add(block);
    }

    @Override
    public void synchronize() {
    }
}
