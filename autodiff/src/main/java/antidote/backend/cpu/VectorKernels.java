package antidote.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD float32 kernels with {@code jdk.incubator.vector}, loaded by name from {@link Kernels#select} only when
 * the module is present. The GEMM tile is 8 rows by two vectors (8x32 with AVX-512): 16 accumulators stay in
 * registers, and each step of k costs two vector loads of B and eight broadcasts of A for 16 FMAs. Measured
 * single-threaded on the Zen 4 bench machine: 92-112 GFLOP/s inside the kernel (80-95% of the 116 GFLOP/s
 * FMA peak), ahead of 6x64 and 12x32 tiles. The tiles that read the convolutions' image in place repeat this
 * one with a gathered row per step (and a 7-row variant). Every tile is written out at one step per loop
 * iteration and no larger: a loop over taps inside the loop over k made C2 box the sixteen accumulators (5
 * GFLOP/s), and a body three steps long crossed C2's inlining cutoff (see {@link #tileGatheredB}).
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
                            int rows, int cols, float[] tile) {
        tile(kc, a, aOffset, b, bOffset, tile);
        addTile(tile, c, cOffset, ldc, rows, cols);
    }

    @Override
    public void multiply(int kc, float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int ldc,
                         int rows, int cols, float[] tile) {
        tile(kc, a, aOffset, b, bOffset, tile);
        if (cols == NR) {
            for (int i = 0, row = cOffset; i < rows; i++, row += ldc) {
                FloatVector.fromArray(S, tile, i * NR).intoArray(c, row);
                FloatVector.fromArray(S, tile, i * NR + L).intoArray(c, row + L);
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            System.arraycopy(tile, i * NR, c, cOffset + i * ldc, cols);
        }
    }

    @Override
    public void multiplyAddGatheredB(int kc, float[] a, int aOffset, float[] image, int base, int[] offsets,
                                     int from, float[] c, int cOffset, int ldc, int rows, int cols, float[] tile) {
        tileGatheredB(kc, a, aOffset, image, base, offsets, from, tile);
        addTile(tile, c, cOffset, ldc, rows, cols);
    }

    @Override
    public void multiplyAddGatheredA(int kc, float[] image, int base, int[] offsets, int from, float[] b,
                                     int bOffset, float[] c, int cOffset, int ldc, int rows, int cols, float[] tile) {
        if (rows == MR - 1) {
            tileGatheredA7(kc, image, base, offsets, from, b, bOffset, tile);
        } else {
            tileGatheredA(kc, image, base, offsets, from, b, bOffset, tile);
        }
        addTile(tile, c, cOffset, ldc, rows, cols);
    }

    /** Adds the first {@code rows} x {@code cols} of the tile scratch to C. */
    private static void addTile(float[] tile, float[] c, int cOffset, int ldc, int rows, int cols) {
        if (cols == NR) {
            for (int i = 0, row = cOffset; i < rows; i++, row += ldc) {
                for (int j = 0; j < NR; j += L) {
                    FloatVector.fromArray(S, c, row + j).add(FloatVector.fromArray(S, tile, i * NR + j))
                            .intoArray(c, row + j);
                }
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0, row = cOffset + i * ldc; j < cols; j++) {
                c[row + j] += tile[i * NR + j];
            }
        }
    }

    /**
     * The 8 x 2L tile product, stored row-major into {@code t}. It stores the accumulators instead of adding
     * them into C here: the sixteen load-add-stores of C made this method large enough that C2 stopped inlining
     * them (NodeCountInliningCutoff), boxed the accumulators and spilled one of them inside the loop, which cost
     * 40% of the kernel's speed in about half of all JVM runs.
     */
    private static void tile(int kc, float[] a, int ak, float[] b, int bk, float[] t) {
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
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + L);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + L);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + L);
        c40.intoArray(t, 4 * NR);
        c41.intoArray(t, 4 * NR + L);
        c50.intoArray(t, 5 * NR);
        c51.intoArray(t, 5 * NR + L);
        c60.intoArray(t, 6 * NR);
        c61.intoArray(t, 6 * NR + L);
        c70.intoArray(t, 7 * NR);
        c71.intoArray(t, 7 * NR + L);
    }

    /**
     * {@link #tile} with B read in place ({@link #multiplyAddGatheredB}): step k's row starts at
     * {@code image[base + offsets[k]]}. One step per iteration, like {@link #tile}: the earlier version, written out
     * for the three taps of a kernel row, parsed into a graph past C2's node-count inlining cutoff, so in some JVM
     * runs (2 of 12 measured) the last steps' vector operations were inlined late and boxed their results: the
     * whole I-BAU iteration ran four times slower with twice the heap (bench/RESULTS.md, session 12).
     */
    private static void tileGatheredB(int kc, float[] a, int ak, float[] image, int base, int[] offsets, int from,
                                      float[] t) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int k = from, end = from + kc; k < end; k++) {
            int bk = base + offsets[k];
            FloatVector b0 = FloatVector.fromArray(S, image, bk), b1 = FloatVector.fromArray(S, image, bk + L);
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
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + L);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + L);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + L);
        c40.intoArray(t, 4 * NR);
        c41.intoArray(t, 4 * NR + L);
        c50.intoArray(t, 5 * NR);
        c51.intoArray(t, 5 * NR + L);
        c60.intoArray(t, 6 * NR);
        c61.intoArray(t, 6 * NR + L);
        c70.intoArray(t, 7 * NR);
        c71.intoArray(t, 7 * NR + L);
    }

    /** {@link #tileGatheredB} with A read in place instead ({@link #multiplyAddGatheredA}). */
    private static void tileGatheredA(int kc, float[] image, int base, int[] offsets, int from, float[] b, int bk,
                                      float[] t) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int k = from, end = from + kc; k < end; k++) {
            int ak = base + offsets[k];
            FloatVector b0 = FloatVector.fromArray(S, b, bk), b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector x;
            x = FloatVector.broadcast(S, image[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, image[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, image[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, image[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, image[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, image[ak + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, image[ak + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, image[ak + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            bk += NR;
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + L);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + L);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + L);
        c40.intoArray(t, 4 * NR);
        c41.intoArray(t, 4 * NR + L);
        c50.intoArray(t, 5 * NR);
        c51.intoArray(t, 5 * NR + L);
        c60.intoArray(t, 6 * NR);
        c61.intoArray(t, 6 * NR + L);
        c70.intoArray(t, 7 * NR);
        c71.intoArray(t, 7 * NR + L);
    }

    /** {@link #tileGatheredA} for 7 rows, the width of 7x7, 14x14 and 28x28 outputs. */
    private static void tileGatheredA7(int kc, float[] image, int base, int[] offsets, int from, float[] b, int bk,
                                       float[] t) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00;
        for (int k = from, end = from + kc; k < end; k++) {
            int ak = base + offsets[k];
            FloatVector b0 = FloatVector.fromArray(S, b, bk), b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector x;
            x = FloatVector.broadcast(S, image[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, image[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, image[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, image[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, image[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, image[ak + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, image[ak + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            bk += NR;
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + L);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + L);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + L);
        c40.intoArray(t, 4 * NR);
        c41.intoArray(t, 4 * NR + L);
        c50.intoArray(t, 5 * NR);
        c51.intoArray(t, 5 * NR + L);
        c60.intoArray(t, 6 * NR);
        c61.intoArray(t, 6 * NR + L);
    }

    @Override
    public void gatherRows(float[] x, int base, int[] offsets, int rows, int width, float[] panel) {
        // Whole vectors only: for width MR the lanes past it land in the next row's place and are overwritten
        // there (the last row's in the slack). Scalar copies of MR floats cost half as much as the FMAs using them.
        for (int r = 0; r < rows; r++) {
            for (int j = 0, s = base + offsets[r], d = r * width; j < width; j += L) {
                FloatVector.fromArray(S, x, s + j).intoArray(panel, d + j);
            }
        }
    }

    @Override
    public void addWeightedRows(float[] x, int[] offsets, int from, int count, float[] weights, int wo, float[] out,
                                int o, int n) {
        int t = 0;
        for (; t + L <= n; t += L) {
            FloatVector sum = FloatVector.fromArray(S, out, o + t);
            for (int r = 0; r < count; r++) {
                sum = FloatVector.broadcast(S, weights[wo + r]).fma(FloatVector.fromArray(S, x, offsets[from + r] + t),
                        sum);
            }
            sum.intoArray(out, o + t);
        }
        for (; t < n; t++) {
            float sum = out[o + t];
            for (int r = 0; r < count; r++) {
                sum = Math.fma(weights[wo + r], x[offsets[from + r] + t], sum);
            }
            out[o + t] = sum;
        }
    }

    /** Floats summed in float32 lanes before each float64 flush. */
    private static final int SUM_BLOCK = 512;

    @Override
    public double sum(float[] x, int from, int n) {
        int vectorized = n - n % (2 * L);
        double total = 0;
        for (int start = 0; start < vectorized; start += SUM_BLOCK) {
            int end = from + Math.min(vectorized, start + SUM_BLOCK);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            for (int i = from + start; i < end; i += 2 * L) {
                s0 = s0.add(FloatVector.fromArray(S, x, i));
                s1 = s1.add(FloatVector.fromArray(S, x, i + L));
            }
            total += s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        for (int i = from + vectorized; i < from + n; i++) {
            total += x[i];
        }
        return total;
    }

    @Override
    public double crossSum(float[] a, int ao, float[] b, int bo, float shift, int n) {
        int vectorized = n - n % (2 * L);
        FloatVector center = FloatVector.broadcast(S, shift);
        double total = 0;
        for (int start = 0; start < vectorized; start += SUM_BLOCK) {
            int end = Math.min(vectorized, start + SUM_BLOCK);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            for (int i = start; i < end; i += 2 * L) {
                s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i).sub(center), s0);
                s1 = FloatVector.fromArray(S, a, ao + i + L).fma(FloatVector.fromArray(S, b, bo + i + L).sub(center),
                        s1);
            }
            total += s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        for (int i = vectorized; i < n; i++) {
            total += a[ao + i] * (b[bo + i] - shift);
        }
        return total;
    }

    @Override
    public void relu(float[] x, float[] out, int from, int to) {
        // Branch-free, as greaterThan: the scalar loop cost 4-5% of PreAct-ResNet18's train step.
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = x[i] > 0 ? x[i] : 0f;
        }
    }

    @Override
    public void elu(float[] x, float[] out, int from, int to, double alpha) {
        float a = (float) alpha;
        FloatVector scale = FloatVector.broadcast(S, a);
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector negative = NegativeExpm1.of(v).mul(scale);
            v.blend(negative, v.compare(VectorOperators.LE, 0f)).intoArray(out, i);
        }
        for (; i < to; i++) {
            float v = x[i];
            out[i] = v > 0 ? v : NegativeExpm1.of(v) * a;
        }
    }

    @Override
    public void eluBackward(float[] y, float[] g, float[] out, int from, int to, float alpha) {
        FloatVector shift = FloatVector.broadcast(S, alpha);
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, y, i);
            FloatVector grad = FloatVector.fromArray(S, g, i);
            grad.mul(v.add(shift)).blend(grad, v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = y[i] > 0 ? g[i] : g[i] * (y[i] + alpha);
        }
    }

    @Override
    public void greaterThan(float[] a, int ao, float y, float[] out, int o, int n) {
        // Branch-free: the scalar loop mispredicts about half the time on activations of random sign.
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += L) {
            zero.blend(one, FloatVector.fromArray(S, a, ao + j).compare(VectorOperators.GT, y)).intoArray(out, o + j);
        }
        for (; j < n; j++) {
            out[o + j] = a[ao + j] > y ? 1f : 0f;
        }
    }

    @Override
    public void select(float[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int o,
                       int n) {
        // One loop per case: a vector chosen by a condition inside the loop is a phi of vector objects, which
        // C2 does not unbox (the select then ran the Vector API's slow Java fallback).
        int j = 0;
        int end = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; j < end; j += L) {
                FloatVector.fromArray(S, a, ao + j).blend(FloatVector.fromArray(S, b, bo + j), isZero(c, co + j))
                        .intoArray(out, o + j);
            }
        } else if (as == 1) {
            FloatVector fixed = FloatVector.broadcast(S, b[bo]);
            for (; j < end; j += L) {
                FloatVector.fromArray(S, a, ao + j).blend(fixed, isZero(c, co + j)).intoArray(out, o + j);
            }
        } else if (bs == 1) {
            FloatVector fixed = FloatVector.broadcast(S, a[ao]);
            for (; j < end; j += L) {
                fixed.blend(FloatVector.fromArray(S, b, bo + j), isZero(c, co + j)).intoArray(out, o + j);
            }
        }
        for (; j < n; j++) {
            out[o + j] = c[co + j] != 0 ? a[ao + j * as] : b[bo + j * bs];
        }
    }

    /** Lanes where c is 0 (b is taken there); NaN != 0 is true, as in the scalar definition. */
    private static VectorMask<Float> isZero(float[] c, int offset) {
        return FloatVector.fromArray(S, c, offset).compare(VectorOperators.EQ, 0f);
    }

    @Override
    public void winogradInput(float[] d, int dOffset, int dStride, float[] v, int vOffset, int vStride, int n) {
        int k = 0;
        for (int end = S.loopBound(n); k < end; k += L) {
            for (int t = 0; t < 6; t++) {
                // column t of Bᵀ·d into V's places, then each row of it times B in place
                timesBt(d, dOffset + t * dStride + k, 6 * dStride, v, vOffset + t * vStride + k, 6 * vStride);
            }
            for (int i = 0; i < 6; i++) {
                int row = vOffset + 6 * i * vStride + k;
                timesBt(v, row, vStride, v, row, vStride);
            }
        }
        for (; k < n; k++) {
            PlainKernels.winogradInputColumn(d, dOffset + k, dStride, v, vOffset + k, vStride);
        }
    }

    @Override
    public void winogradOutput(float[] m, int mOffset, int mStride, float[] y, int yOffset, int yStride, int n) {
        int k = 0;
        for (int end = S.loopBound(n); k < end; k += L) {
            for (int j = 0; j < 6; j++) {
                // column j of Aᵀ·m into m's first four rows, then each of those rows times A
                int column = mOffset + j * mStride + k;
                timesAt(m, column, 6 * mStride, m, column, 6 * mStride);
            }
            for (int i = 0; i < 4; i++) {
                timesAt(m, mOffset + 6 * i * mStride + k, mStride, y, yOffset + 4 * i * yStride + k, yStride);
            }
        }
        for (; k < n; k++) {
            PlainKernels.winogradOutputColumn(m, mOffset + k, mStride, y, yOffset + k, yStride);
        }
    }

    /** {@link PlainKernels}' Bᵀ product on L columns at once, the same operations in the same order. */
    private static void timesBt(float[] a, int at, int stride, float[] out, int outAt, int outStride) {
        FloatVector d0 = FloatVector.fromArray(S, a, at);
        FloatVector d1 = FloatVector.fromArray(S, a, at + stride);
        FloatVector d2 = FloatVector.fromArray(S, a, at + 2 * stride);
        FloatVector d3 = FloatVector.fromArray(S, a, at + 3 * stride);
        FloatVector d4 = FloatVector.fromArray(S, a, at + 4 * stride);
        FloatVector d5 = FloatVector.fromArray(S, a, at + 5 * stride);
        d0.mul(4f).sub(d2.mul(5f)).add(d4).intoArray(out, outAt);
        d3.add(d4).sub(d1.add(d2).mul(4f)).intoArray(out, outAt + outStride);
        d4.sub(d3).add(d1.sub(d2).mul(4f)).intoArray(out, outAt + 2 * outStride);
        FloatVector d42 = d4.sub(d2);
        FloatVector d31 = d3.sub(d1).mul(2f);
        d42.add(d31).intoArray(out, outAt + 3 * outStride);
        d42.sub(d31).intoArray(out, outAt + 4 * outStride);
        d1.mul(4f).sub(d3.mul(5f)).add(d5).intoArray(out, outAt + 5 * outStride);
    }

    /** {@link PlainKernels}' Aᵀ product on L columns at once, the same operations in the same order. */
    private static void timesAt(float[] a, int at, int stride, float[] out, int outAt, int outStride) {
        FloatVector m0 = FloatVector.fromArray(S, a, at);
        FloatVector m1 = FloatVector.fromArray(S, a, at + stride);
        FloatVector m2 = FloatVector.fromArray(S, a, at + 2 * stride);
        FloatVector m3 = FloatVector.fromArray(S, a, at + 3 * stride);
        FloatVector m4 = FloatVector.fromArray(S, a, at + 4 * stride);
        FloatVector m5 = FloatVector.fromArray(S, a, at + 5 * stride);
        FloatVector sum12 = m1.add(m2);
        FloatVector diff12 = m1.sub(m2);
        FloatVector sum34 = m3.add(m4);
        FloatVector diff34 = m3.sub(m4);
        m0.add(sum12).add(sum34).intoArray(out, outAt);
        diff12.add(diff34.mul(2f)).intoArray(out, outAt + outStride);
        sum12.add(sum34.mul(4f)).intoArray(out, outAt + 2 * outStride);
        diff12.add(diff34.mul(8f)).add(m5).intoArray(out, outAt + 3 * outStride);
    }
}
