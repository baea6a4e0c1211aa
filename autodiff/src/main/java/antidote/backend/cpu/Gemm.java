package antidote.backend.cpu;

/**
 * The one matrix product behind matmul and the convolutions: {@code c += a·b} on row-major blocks given by
 * an offset and a leading dimension (BLAS style). The i-k-j order streams rows of b and c, which keeps the
 * inner loop contiguous; each row of c is summed over k in increasing order, so results do not depend on how
 * callers split rows between threads.
 */
final class Gemm {
    private Gemm() {
    }

    /** {@code c[i, j] += Σ_q a[i, q]·b[q, j]} for i < m, j < n, q < k; all three of one dtype. */
    static void multiplyAdd(CpuStorage a, int aOffset, int lda, CpuStorage b, int bOffset, int ldb,
                            CpuStorage c, int cOffset, int ldc, int m, int k, int n) {
        if (c instanceof CpuStorage.F32 f) {
            multiplyAdd(((CpuStorage.F32) a).data(), aOffset, lda, ((CpuStorage.F32) b).data(), bOffset, ldb,
                    f.data(), cOffset, ldc, m, k, n);
        } else {
            multiplyAdd(((CpuStorage.F64) a).data(), aOffset, lda, ((CpuStorage.F64) b).data(), bOffset, ldb,
                    ((CpuStorage.F64) c).data(), cOffset, ldc, m, k, n);
        }
    }

    private static void multiplyAdd(float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                                    float[] c, int cOffset, int ldc, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int cRow = cOffset + i * ldc;
            for (int q = 0; q < k; q++) {
                float aiq = a[aOffset + i * lda + q];
                int bRow = bOffset + q * ldb;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aiq * b[bRow + j];
                }
            }
        }
    }

    private static void multiplyAdd(double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
                                    double[] c, int cOffset, int ldc, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int cRow = cOffset + i * ldc;
            for (int q = 0; q < k; q++) {
                double aiq = a[aOffset + i * lda + q];
                int bRow = bOffset + q * ldb;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aiq * b[bRow + j];
                }
            }
        }
    }
}
