package antidote.backend.cpu;

/** Plain-Java float32 kernels: simple loops that C2 vectorises on its own where it can. */
final class PlainKernels implements Kernels {
    private static final int MR = 8;
    private static final int NR = 16;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void multiplyAdd(int kc, float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int ldc,
                            int rows, int cols, float[] tile) {
        product(kc, a, aOffset, b, bOffset, tile);
        addTile(tile, c, cOffset, ldc, rows, cols);
    }

    @Override
    public void multiply(int kc, float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int ldc,
                         int rows, int cols, float[] tile) {
        product(kc, a, aOffset, b, bOffset, tile);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(tile, i * NR, c, cOffset + i * ldc, cols);
        }
    }

    /** The tile Ap·Bp of packed micro-panels over kc steps, summed in increasing k. */
    private static void product(int kc, float[] a, int aOffset, float[] b, int bOffset, float[] tile) {
        java.util.Arrays.fill(tile, 0, MR * NR, 0f);
        for (int k = 0; k < kc; k++) {
            addOuterProduct(a, aOffset + k * MR, b, bOffset + k * NR, tile);
        }
    }

    @Override
    public void multiplyAddGatheredB(int kc, float[] a, int aOffset, float[] image, int base, int[] offsets,
                                     int from, float[] c, int cOffset, int ldc, int rows, int cols, float[] tile) {
        java.util.Arrays.fill(tile, 0, MR * NR, 0f);
        for (int k = 0; k < kc; k++) {
            addOuterProduct(a, aOffset + k * MR, image, base + offsets[from + k], tile);
        }
        addTile(tile, c, cOffset, ldc, rows, cols);
    }

    @Override
    public void multiplyAddGatheredA(int kc, float[] image, int base, int[] offsets, int from, float[] b,
                                     int bOffset, float[] c, int cOffset, int ldc, int rows, int cols, float[] tile) {
        java.util.Arrays.fill(tile, 0, MR * NR, 0f);
        for (int k = 0; k < kc; k++) {
            addOuterProduct(image, base + offsets[from + k], b, bOffset + k * NR, tile);
        }
        addTile(tile, c, cOffset, ldc, rows, cols);
    }

    /** One step of k: the tile gains the outer product of A's MR values at ak and B's NR values at bk. */
    private static void addOuterProduct(float[] a, int ak, float[] b, int bk, float[] tile) {
        for (int i = 0; i < MR; i++) {
            float aik = a[ak + i];
            for (int j = 0, t = i * NR; j < NR; j++, t++) {
                tile[t] += aik * b[bk + j];
            }
        }
    }

    /** Adds the first {@code rows} x {@code cols} of the tile to C. */
    private static void addTile(float[] tile, float[] c, int cOffset, int ldc, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0, row = cOffset + i * ldc; j < cols; j++) {
                c[row + j] += tile[i * NR + j];
            }
        }
    }

    @Override
    public void gatherRows(float[] x, int base, int[] offsets, int rows, int width, float[] panel) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, base + offsets[r], panel, r * width, width);
        }
    }

    @Override
    public void addWeightedRows(float[] x, int[] offsets, int from, int count, float[] weights, int wo, float[] out,
                                int o, int n) {
        for (int t = 0; t < n; t++) {
            float sum = out[o + t];
            for (int r = 0; r < count; r++) {
                sum = Math.fma(weights[wo + r], x[offsets[from + r] + t], sum);
            }
            out[o + t] = sum;
        }
    }

    @Override
    public double sum(float[] x, int from, int n) {
        double total = 0;
        for (int i = from; i < from + n; i++) {
            total += x[i];
        }
        return total;
    }

    @Override
    public double crossSum(float[] a, int ao, float[] b, int bo, float shift, int n) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += a[ao + i] * (b[bo + i] - shift);
        }
        return total;
    }

    @Override
    public void relu(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = x[i] > 0 ? x[i] : 0f;
        }
    }

    @Override
    public void elu(float[] x, float[] out, int from, int to, double alpha) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            // e^x − 1 in float64 is accurate to float32 precision for x ≤ 0, and Math.exp is an intrinsic
            // where Math.expm1 is not.
            out[i] = v > 0 ? v : (float) (alpha * (Math.exp(v) - 1));
        }
    }

    @Override
    public void eluBackward(float[] y, float[] g, float[] out, int from, int to, float alpha) {
        for (int i = from; i < to; i++) {
            out[i] = y[i] > 0 ? g[i] : g[i] * (y[i] + alpha);
        }
    }

    @Override
    public void greaterThan(float[] a, int ao, float y, float[] out, int o, int n) {
        for (int j = 0; j < n; j++) {
            out[o + j] = a[ao + j] > y ? 1f : 0f;
        }
    }

    @Override
    public void select(float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int o,
                       int n) {
        for (int j = 0; j < n; j++) {
            out[o + j] = c[co + j] != 0 ? a[ao + j * as] : b[bo + j * bs];
        }
    }

    @Override
    public void winogradInput(float[] d, int dOffset, int dStride, float[] v, int vOffset, int vStride, int n) {
        for (int k = 0; k < n; k++) {
            winogradInputColumn(d, dOffset + k, dStride, v, vOffset + k, vStride);
        }
    }

    @Override
    public void winogradOutput(float[] m, int mOffset, int mStride, float[] y, int yOffset, int yStride, int n) {
        for (int k = 0; k < n; k++) {
            winogradOutputColumn(m, mOffset + k, mStride, y, yOffset + k, yStride);
        }
    }

    /** One column of {@link #winogradInput}, in the SIMD kernel's order (its tail too, so both give the same bits). */
    static void winogradInputColumn(float[] d, int dOffset, int ds, float[] v, int vOffset, int vs) {
        for (int t = 0; t < 6; t++) {
            // column t of Bᵀ·d into V's places, then each row of it times B in place
            timesBt(d, dOffset + t * ds, 6 * ds, v, vOffset + t * vs, 6 * vs);
        }
        for (int i = 0; i < 6; i++) {
            timesBt(v, vOffset + 6 * i * vs, vs, v, vOffset + 6 * i * vs, vs);
        }
    }

    /** One column of {@link #winogradOutput}, in the SIMD kernel's order. */
    static void winogradOutputColumn(float[] m, int mOffset, int ms, float[] y, int yOffset, int ys) {
        for (int j = 0; j < 6; j++) {
            // column j of Aᵀ·m into m's first four rows, then each of those rows times A
            timesAt(m, mOffset + j * ms, 6 * ms, m, mOffset + j * ms, 6 * ms);
        }
        for (int i = 0; i < 4; i++) {
            timesAt(m, mOffset + 6 * i * ms, ms, y, yOffset + 4 * i * ys, ys);
        }
    }

    /** Bᵀ·(a[at + k·stride] for k < 6) into out[outAt + k·outStride] (in place allowed). */
    private static void timesBt(float[] a, int at, int stride, float[] out, int outAt, int outStride) {
        float d0 = a[at];
        float d1 = a[at + stride];
        float d2 = a[at + 2 * stride];
        float d3 = a[at + 3 * stride];
        float d4 = a[at + 4 * stride];
        float d5 = a[at + 5 * stride];
        out[outAt] = 4f * d0 - 5f * d2 + d4;
        out[outAt + outStride] = (d3 + d4) - 4f * (d1 + d2);
        out[outAt + 2 * outStride] = (d4 - d3) + 4f * (d1 - d2);
        out[outAt + 3 * outStride] = (d4 - d2) + 2f * (d3 - d1);
        out[outAt + 4 * outStride] = (d4 - d2) - 2f * (d3 - d1);
        out[outAt + 5 * outStride] = 4f * d1 - 5f * d3 + d5;
    }

    /** Aᵀ·(a[at + k·stride] for k < 6) into out[outAt + k·outStride] for k < 4 (in place allowed). */
    private static void timesAt(float[] a, int at, int stride, float[] out, int outAt, int outStride) {
        float m0 = a[at];
        float m5 = a[at + 5 * stride];
        float sum12 = a[at + stride] + a[at + 2 * stride];
        float diff12 = a[at + stride] - a[at + 2 * stride];
        float sum34 = a[at + 3 * stride] + a[at + 4 * stride];
        float diff34 = a[at + 3 * stride] - a[at + 4 * stride];
        out[outAt] = m0 + sum12 + sum34;
        out[outAt + outStride] = diff12 + 2f * diff34;
        out[outAt + 2 * outStride] = sum12 + 4f * sum34;
        out[outAt + 3 * outStride] = diff12 + 8f * diff34 + m5;
    }
}
