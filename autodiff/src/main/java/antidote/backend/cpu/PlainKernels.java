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
        java.util.Arrays.fill(tile, 0, MR * NR, 0f);
        for (int k = 0; k < kc; k++) {
            addOuterProduct(a, aOffset + k * MR, b, bOffset + k * NR, tile);
        }
        addTile(tile, c, cOffset, ldc, rows, cols);
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
}
