package antidote.backend.cuda;

import antidote.core.DType;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.runtime.cudaStream_t;

/**
 * cuBLAS through JCublas2 (needs {@code libcublas.so.12} on the library path). Only constructed by
 * {@link #load}, which reports instead of throwing when the library is missing.
 */
final class Cublas {
    private final cublasHandle handle = new cublasHandle();
    private final String version;

    private Cublas(CudaContext gpu) {
        JCublas2.setExceptionsEnabled(true);
        JCublas2.cublasCreate(handle);
        JCublas2.cublasSetStream(handle, new cudaStream_t(gpu.stream));
        int[] v = new int[1];
        JCublas2.cublasGetVersion(handle, v);
        version = "cuBLAS " + v[0] / 10000 + "." + v[0] / 100 % 100 + "." + v[0] % 100;
    }

    /** cuBLAS on {@code gpu}'s stream, or the reason it is unavailable (a missing library, or a CUDA error). */
    static Loaded<Cublas> load(CudaContext gpu) {
        try {
            return Loaded.of(new Cublas(gpu));
        } catch (LinkageError | RuntimeException e) {
            return Loaded.failed(e);
        }
    }

    /**
     * C[p] = A[p]·B[p] for row-major A [m,k], B [k,n], C [m,n]. cuBLAS is column-major, and a row-major matrix
     * is its transpose in column-major order, so this computes Cᵀ = Bᵀ·Aᵀ: B goes first, and m and n swap.
     * Default math mode: no TF32 on float32, so results stay within float32 rounding of the reference.
     */
    void gemm(DType dtype, CUdeviceptr a, CUdeviceptr b, CUdeviceptr c, int batch, int m, int k, int n) {
        int op = cublasOperation.CUBLAS_OP_N;
        long strideA = (long) m * k;
        long strideB = (long) k * n;
        long strideC = (long) m * n;
        if (dtype == DType.FLOAT32) {
            Pointer one = Pointer.to(new float[]{1});
            Pointer zero = Pointer.to(new float[]{0});
            JCublas2.cublasSgemmStridedBatched(handle, op, op, n, m, k, one, b, n, strideB, a, k, strideA, zero, c, n,
                    strideC, batch);
        } else {
            Pointer one = Pointer.to(new double[]{1});
            Pointer zero = Pointer.to(new double[]{0});
            JCublas2.cublasDgemmStridedBatched(handle, op, op, n, m, k, one, b, n, strideB, a, k, strideA, zero, c, n,
                    strideC, batch);
        }
    }

    @Override
    public String toString() {
        return version;
    }
}
