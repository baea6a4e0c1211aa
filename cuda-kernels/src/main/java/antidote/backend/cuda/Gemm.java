package antidote.backend.cuda;

import antidote.core.DType;

import java.lang.ref.Reference;

/** Batched matrix products: cuBLAS when it loaded, otherwise the tiled shared-memory kernel of gemm.cu. */
final class Gemm {
    /** The largest grid y and z extent. */
    private static final int MAX_GRID_YZ = 65535;

    private final Gpu gpu;
    private final Cublas cublas;
    private final String path;

    Gemm(Gpu gpu, Loaded<Cublas> cublas) {
        this.gpu = gpu;
        this.cublas = cublas.library();
        this.path = cublas.isLoaded() ? cublas.library().toString()
                : "the project's tiled kernel (cuBLAS not used: " + cublas.reason() + ")";
    }

    /** c = a·b for {@code batch} row-major [m,k]·[k,n] products; all sizes are at least 1. */
    void multiply(DType dtype, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, int batch, int m, int k, int n) {
        if (cublas != null) {
            cublas.gemm(dtype, a.pointer(), b.pointer(), c.pointer(), batch, m, k, n);
            Reference.reachabilityFence(a);
            Reference.reachabilityFence(b);
            return;
        }
        KernelArgs args = new KernelArgs().buffer(a).buffer(b).buffer(c).i(batch).i(m).i(k).i(n);
        gpu.launch(Kernel.MATMUL, dtype, Gpu.blocks(n, Kernel.TILE),
                Math.min(Gpu.blocks(m, Kernel.TILE), MAX_GRID_YZ), Math.min(batch, MAX_GRID_YZ),
                Kernel.TILE, Kernel.TILE, args);
    }

    /** Which implementation runs, for the log. */
    String path() {
        return path;
    }
}
