package antidote.backend.cpu;

/**
 * The float32 inner loops that have a SIMD version. {@link VectorKernels} uses {@code jdk.incubator.vector};
 * {@link PlainKernels} is plain Java, used when that module is absent or {@code -Dantidote.cpu.plain=true},
 * and also run by the conformance tests. Both compute every element in the same order on any thread.
 */
interface Kernels {

    /** Rows of a {@link #multiplyAdd} tile. */
    int mr();

    /** Columns of a {@link #multiplyAdd} tile. */
    int nr();

    /**
     * {@code C[rows, cols] += Ap·Bp} over {@code kc} steps for one tile, where Ap is a packed micro-panel of
     * {@link #mr()} rows (for each k, the mr values of column k) and Bp a packed micro-panel of {@link #nr()}
     * columns (for each k, the nr values of row k). Each C element is summed over k in increasing order and
     * then added to C once; only the first {@code rows} rows and {@code cols} columns of the tile are written.
     * {@code tile} is scratch of mr·nr floats owned by the calling thread (a fresh array per call cost a tenth
     * of the small-k tiles of the first convolution layer).
     */
    void multiplyAdd(int kc, float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int ldc,
                     int rows, int cols, float[] tile);

    /**
     * {@link #multiplyAdd} with C overwritten instead of added to: {@code C[rows, cols] = Ap·Bp}, the same sums.
     * It spares zeroing C first and reading it back.
     */
    void multiply(int kc, float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int ldc, int rows,
                  int cols, float[] tile);

    /**
     * {@link #multiplyAdd} with B read in place, from an image, instead of from a packed micro-panel: B's row for
     * step k is the {@link #nr()} contiguous floats at {@code image[base + offsets[from + k]]} (im2col's row of one
     * kernel tap, read without copying it). The image needs nr floats of slack past the last row's start. Same
     * sums, same order.
     */
    void multiplyAddGatheredB(int kc, float[] a, int aOffset, float[] image, int base, int[] offsets, int from,
                              float[] c, int cOffset, int ldc, int rows, int cols, float[] tile);

    /**
     * {@link #multiplyAdd} with A read in place from an image as {@link #multiplyAddGatheredB} reads B: A's
     * {@link #mr()} values for step k are the contiguous floats at {@code image[base + offsets[from + k]]}; B is a
     * packed micro-panel. With {@code rows} below mr only those rows are computed. The image needs mr floats of
     * slack past the last start.
     */
    void multiplyAddGatheredA(int kc, float[] image, int base, int[] offsets, int from, float[] b, int bOffset,
                              float[] c, int cOffset, int ldc, int rows, int cols, float[] tile);

    /**
     * Packs rows of {@code width} contiguous floats into a GEMM panel:
     * {@code panel[r·width + j] = x[base + offsets[r] + j]} for r < {@code rows}, j < width, where width is
     * {@link #mr()} (an A micro-panel) or {@link #nr()} (a B micro-panel). It may read up to nr floats from each
     * start and write up to nr floats past the panel's end, so both arrays need nr floats of slack.
     */
    void gatherRows(float[] x, int base, int[] offsets, int rows, int width, float[] panel);

    /**
     * {@code out[o + t] += Σ_r weights[wo + r]·x[offsets[from + r] + t]} for t < n, over r < {@code count} in
     * increasing order: the rows of a direct convolution, one plane of taps at a time.
     */
    void addWeightedRows(float[] x, int[] offsets, int from, int count, float[] weights, int wo, float[] out, int o,
                         int n);

    /**
     * Σ x[from + i] for i < n, returned in float64: partial sums of a few hundred elements may be float32
     * (as SIMD lanes), and they are added in float64.
     */
    double sum(float[] x, int from, int n);

    /** Σ a[ao + i]·(b[bo + i] − shift) for i < n, summed as {@link #sum}; a = b gives centred squares. */
    double crossSum(float[] a, int ao, float[] b, int bo, float shift, int n);

    /** ReLU: {@code out[i] = x[i] > 0 ? x[i] : 0} for i in [from, to) (0 for NaN). */
    void relu(float[] x, float[] out, int from, int to);

    /** ELU: {@code out[i] = x[i]} for x > 0, else {@code alpha·(e^x − 1)}, for i in [from, to). */
    void elu(float[] x, float[] out, int from, int to, double alpha);

    /** ELU's gradient from its output: {@code out[i] = y[i] > 0 ? g[i] : g[i]·(y[i] + alpha)}, i in [from, to). */
    void eluBackward(float[] y, float[] g, float[] out, int from, int to, float alpha);

    /** {@code out[o + j] = a[ao + j] > y ? 1 : 0} for j < n (0 for NaN), the mask of ReLU's and ELU's VJPs. */
    void greaterThan(float[] a, int ao, float y, float[] out, int o, int n);

    /**
     * {@code out[o + j] = c[co + j] != 0 ? a[ao + j·as] : b[bo + j·bs]} for j < n (NaN counts as != 0), where
     * the steps {@code as} and {@code bs} are 1 or 0 (one value for the whole row, as the scalar zero of
     * where's VJP).
     */
    void select(float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int o, int n);

    /**
     * Winograd F(4x4, 3x3)'s input transform ({@link WinogradConv}) for {@code n} columns, each one 6x6 input block
     * d given as 36 rows (d[j][t] at {@code dOffset + (6j + t)·dStride}): writes V = Bᵀ·d·B as 36 rows (V[i][j] at
     * {@code vOffset + (6i + j)·vStride}), Bᵀ = [[4, 0, −5, 0, 1, 0], [0, −4, −4, 1, 1, 0], [0, 4, −4, −1, 1, 0],
     * [0, −2, −1, 2, 1, 0], [0, 2, −1, −2, 1, 0], [0, 4, 0, −5, 0, 1]].
     */
    void winogradInput(float[] d, int dOffset, int dStride, float[] v, int vOffset, int vStride, int n);

    /**
     * Winograd F(4x4, 3x3)'s output transform for {@code n} columns: from 36 rows of m (m[i][j] at
     * {@code mOffset + (6i + j)·mStride}, overwritten) to the 4x4 outputs Y = Aᵀ·m·A as 16 rows (Y[i][j] at
     * {@code yOffset + (4i + j)·yStride}), Aᵀ = [[1, 1, 1, 1, 1, 0], [0, 1, −1, 2, −2, 0], [0, 1, 1, 4, 4, 0],
     * [0, 1, −1, 8, −8, 1]].
     */
    void winogradOutput(float[] m, int mOffset, int mStride, float[] y, int yOffset, int yStride, int n);

    /** The kernels to use: SIMD when {@code jdk.incubator.vector} is there and {@code plain} is false. */
    static Kernels select(boolean plain) {
        if (!plain && VECTOR_MODULE) {
            try {
                // By name, so that this class links without the incubator module.
                return (Kernels) Class.forName("antidote.backend.cpu.VectorKernels").getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new PlainKernels();
            }
        }
        return new PlainKernels();
    }

    /** True when the JVM was started with {@code --add-modules jdk.incubator.vector}. */
    boolean VECTOR_MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
}
