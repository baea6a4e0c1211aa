package antidote.backend.cuda;

import antidote.core.DType;
import jcuda.driver.CUdeviceptr;

import java.nio.Buffer;
import java.util.ArrayList;
import java.util.List;

/** A device that runs nothing: it records each kernel launch, and its copies do nothing. */
final class RecordingGpu implements Gpu {
    /** One launch as the backend asked for it. */
    record Launch(Kernel kernel, DType dtype, int gridX, int gridY, int gridZ, int blockX, int blockY,
                  List<String> signature) {
        String symbol() {
            return kernel.symbol(dtype);
        }
    }

    final List<Launch> launches = new ArrayList<>();
    private final DevicePool pool = new DevicePool(new FakeAllocator(Long.MAX_VALUE));

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
    public void launch(Kernel kernel, DType dtype, int gridX, int gridY, int gridZ, int blockX, int blockY,
                       KernelArgs args) {
        launches.add(new Launch(kernel, dtype, gridX, gridY, gridZ, blockX, blockY, args.signature()));
    }

    @Override
    public void upload(CUdeviceptr dst, Buffer host) {
    }

    @Override
    public void download(Buffer host, CUdeviceptr src) {
    }

    @Override
    public void copy(CUdeviceptr dst, CUdeviceptr src, long bytes) {
    }
}
