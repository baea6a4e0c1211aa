package antidote.backend.cpu;

/**
 * The matrix product behind matmul and the convolutions, blocked and packed as in Goto and van de Geijn's
 * design: for each block of KC steps of k, B is copied into micro-panels of {@code nr} columns and A into
 * micro-panels of {@code mr} rows, so that the {@link Kernels#multiplyAdd} tile kernel reads both
 * contiguously, and a tile of C stays in registers for the whole block. Each C element is summed over k in
 * increasing order within a block and blocks are added in order, whatever rows or columns a thread owns.
 * One instance per thread: it owns the packing buffers and the tile scratch, which are reused from call to call.
 * Float64 products use {@link #multiplyAddPlain}, a simple loop (float64 is for checking, not for speed).
 */
final class Gemm {
    /**
     * Steps of k per packed block: the best of 128 to 1024 measured on Zen 4 (an A micro-panel of KC·mr
     * floats stays in L1 while B streams from L2).
     */
    static final int KC = 512;
    /** Rows of A per packed block: KC·MC floats, 128 KiB, stay in L2. */
    static final int MC = 64;

    private final Kernels kernels;
    private float[] packedA = new float[0];
    private float[] packedB = new float[0];
    private final float[] tile;

    Gemm(Kernels kernels) {
        this.kernels = kernels;
        this.tile = new float[kernels.mr() * kernels.nr()];
    }

    int mr() {
        return kernels.mr();
    }

    int nr() {
        return kernels.nr();
    }

    /**
     * A strided matrix view: element (i, j) is at {@code offset + i·rowStride + j·colStride}. Row-major is
     * {@link #of}, the transpose of a row-major matrix {@link #transposeOf}; other strides view, for example,
     * one tap of a convolution filter [F, C, KH, KW] as an [F, C] matrix without copying it.
     */
    record Matrix(float[] data, int offset, int rowStride, int colStride) {
        static Matrix of(float[] data, int offset, int ld) {
            return new Matrix(data, offset, ld, 1);
        }

        static Matrix transposeOf(float[] data, int offset, int ld) {
            return new Matrix(data, offset, 1, ld);
        }

        int at(int i, int j) {
            return offset + i * rowStride + j * colStride;
        }

        /** The same matrix without its first {@code i} rows. */
        Matrix fromRow(int i) {
            return new Matrix(data, at(i, 0), rowStride, colStride);
        }
    }

    /** {@code C[m, n] += A[m, k]·B[k, n]}, C row-major at {@code cOffset} with row stride {@code ldc}. */
    void multiplyAdd(int m, int n, int k, Matrix a, Matrix b, float[] c, int cOffset, int ldc) {
        int nr = nr();
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            packedB = ensure(packedB, ceil(n, nr) * kc);
            packB(b, pc, 0, kc, n, packedB, 0, kc * nr);
            for (int ic = 0; ic < m; ic += MC) {
                int mc = Math.min(MC, m - ic);
                packedA = ensure(packedA, ceil(mc, mr()) * kc);
                packA(a, ic, pc, mc, kc, packedA, 0, kc * mr());
                macroKernel(mc, n, kc, packedA, 0, kc * mr(), packedB, 0, kc * nr, c, cOffset + ic * ldc, ldc,
                        false);
            }
        }
    }

    /**
     * {@code C[m, n] += A·B} where A was packed whole by {@link #packWhole} and B is given whole as micro-panels
     * of {@code nr} columns by {@code k} rows (panel j at {@code j·k·nr}), as {@link Im2col#packPanel} writes them.
     */
    void multiplyAddPacked(int m, int n, int k, float[] a, float[] b, float[] c, int cOffset, int ldc) {
        multiplyAddPacked(m, n, k, a, 0, b, 0, c, cOffset, ldc);
    }

    /** {@link #multiplyAddPacked} with the packed A and B starting at {@code aOffset} and {@code bOffset}. */
    void multiplyAddPacked(int m, int n, int k, float[] a, int aOffset, float[] b, int bOffset, float[] c,
                           int cOffset, int ldc) {
        packedProduct(m, n, k, a, aOffset, b, bOffset, c, cOffset, ldc, false);
    }

    /** {@link #multiplyAddPacked} with C overwritten: {@code C[m, n] = A·B}, with no need to zero C first. */
    void multiplyPacked(int m, int n, int k, float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset,
                        int ldc) {
        packedProduct(m, n, k, a, aOffset, b, bOffset, c, cOffset, ldc, true);
    }

    /** The packed product, block of k by block; with {@code overwrite} the first block overwrites C. */
    private void packedProduct(int m, int n, int k, float[] a, int aOffset, float[] b, int bOffset, float[] c,
                               int cOffset, int ldc, boolean overwrite) {
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            macroKernel(m, n, kc, a, aOffset + pc * mr(), k * mr(), b, bOffset + pc * nr(), k * nr(), c, cOffset,
                    ldc, overwrite && pc == 0);
        }
    }

    /**
     * {@code C[m, n] += A·B} where A was packed whole by {@link #packWhole}, once for many products (a
     * convolution's filter for every group of images), and B is packed here a block of {@link #KC} steps at a
     * time. The sums are those of {@link #multiplyAdd}, in the same order.
     */
    void multiplyAddPackedA(int m, int n, int k, float[] a, Matrix b, float[] c, int cOffset, int ldc) {
        int nr = nr();
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            packedB = ensure(packedB, ceil(n, nr) * kc);
            packB(b, pc, 0, kc, n, packedB, 0, kc * nr);
            macroKernel(m, n, kc, a, pc * mr(), k * mr(), packedB, 0, kc * nr, c, cOffset, ldc, false);
        }
    }

    /** A[m, k] as micro-panels of mr rows by all k steps, for {@link #multiplyAddPacked}. */
    float[] packWhole(Matrix a, int m, int k) {
        return packWhole(a, m, k, new float[packedSize(m, k)]);
    }

    /** {@link #packWhole} into {@code out}, which must hold {@link #packedSize} floats; returns it. */
    float[] packWhole(Matrix a, int m, int k, float[] out) {
        return packWhole(a, m, k, out, 0);
    }

    /** {@link #packWhole} into {@code out} from {@code outOffset} on; returns {@code out}. */
    float[] packWhole(Matrix a, int m, int k, float[] out, int outOffset) {
        packA(a, 0, 0, m, k, out, outOffset, k * mr());
        return out;
    }

    /** B[k, n] as micro-panels of nr columns by all k steps (panel j at j·k·nr), for {@link #multiplyAddPacked}. */
    float[] packWholeB(Matrix b, int k, int n) {
        float[] out = new float[ceil(n, nr()) * k];
        packB(b, 0, 0, k, n, out, 0, k * nr());
        return out;
    }

    /** Floats of A[m, k] packed whole. */
    int packedSize(int m, int k) {
        return ceil(m, mr()) * k;
    }

    /**
     * Tiles over packed blocks: A panels (stride aStride) by B panels (stride bStride), kc steps each. One A
     * micro-panel meets every B panel before the next, so it stays in L1 while B streams, as {@link #KC}
     * assumes (B panel by B panel, sgemm 2048 ran 5% slower). With {@code overwrite} the tiles replace C instead
     * of adding to it.
     */
    private void macroKernel(int m, int n, int kc, float[] a, int aOffset, int aStride, float[] b, int bOffset,
                             int bStride, float[] c, int cOffset, int ldc, boolean overwrite) {
        int mr = mr();
        int nr = nr();
        for (int ir = 0, ap = aOffset; ir < m; ir += mr, ap += aStride) {
            int rows = Math.min(mr, m - ir);
            for (int jr = 0, bp = bOffset; jr < n; jr += nr, bp += bStride) {
                int cols = Math.min(nr, n - jr);
                if (overwrite) {
                    kernels.multiply(kc, a, ap, b, bp, c, cOffset + ir * ldc + jr, ldc, rows, cols, tile);
                } else {
                    kernels.multiplyAdd(kc, a, ap, b, bp, c, cOffset + ir * ldc + jr, ldc, rows, cols, tile);
                }
            }
        }
    }

    /** Rows [i0, i0+mc) by steps [p0, p0+kc) of A into mr-row micro-panels (zero rows past the edge). */
    private void packA(Matrix a, int i0, int p0, int mc, int kc, float[] dst, int dstOffset, int panelStride) {
        int mr = mr();
        float[] src = a.data();
        for (int ir = 0, panel = dstOffset; ir < mc; ir += mr, panel += panelStride) {
            int rows = Math.min(mr, mc - ir);
            for (int i = 0; i < mr; i++) {
                if (i >= rows) {
                    for (int p = 0, d = panel + i; p < kc; p++, d += mr) {
                        dst[d] = 0;
                    }
                } else {
                    for (int p = 0, d = panel + i, s = a.at(i0 + ir + i, p0); p < kc; p++, d += mr,
                            s += a.colStride()) {
                        dst[d] = src[s];
                    }
                }
            }
        }
    }

    /** Steps [p0, p0+kc) by columns [j0, j0+nc) of B into nr-column micro-panels (zero columns past the edge). */
    private void packB(Matrix b, int p0, int j0, int kc, int nc, float[] dst, int dstOffset, int panelStride) {
        int nr = nr();
        float[] src = b.data();
        for (int jr = 0, panel = dstOffset; jr < nc; jr += nr, panel += panelStride) {
            int cols = Math.min(nr, nc - jr);
            for (int p = 0, d = panel; p < kc; p++, d += nr) {
                if (b.colStride() == 1) {
                    System.arraycopy(src, b.at(p0 + p, j0 + jr), dst, d, cols);
                } else {
                    for (int j = 0, s = b.at(p0 + p, j0 + jr); j < cols; j++, s += b.colStride()) {
                        dst[d + j] = src[s];
                    }
                }
                for (int j = cols; j < nr; j++) {
                    dst[d + j] = 0;
                }
            }
        }
    }

    private static int ceil(int n, int block) {
        return (n + block - 1) / block * block;
    }

    private static float[] ensure(float[] buffer, int size) {
        return buffer.length >= size ? buffer : new float[size];
    }

    /** {@code c[i, j] += Σ_q a[i, q]·b[q, j]} in float64, i-k-j order, for the float64 path. */
    static void multiplyAddPlain(double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
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
