package antidote.check;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.backend.UnaryOp;
import antidote.core.DType;
import antidote.core.Device;

import java.util.List;

/**
 * The executable specification of every kernel: plain scalar float64 loops over multi-indices, written
 * for obviousness, not speed. Float32 tensors are computed in float64 and rounded on store.
 */
public final class ReferenceBackend implements Backend {
    public static final Device DEVICE = new Device("reference", 0);

    /** Storage of the reference backend: doubles tagged with a dtype. */
    record Buf(DType dtype, double[] v) implements Storage {
        Buf {
            if (dtype == DType.FLOAT32) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) v[i];
                }
            }
        }

        public int size() {
            return v.length;
        }
    }

    private static double[] v(Storage s) {
        return ((Buf) s).v;
    }

    private static Buf like(Storage s, double[] values) {
        return new Buf(s.dtype(), values);
    }

    @Override
    public Device device() {
        return DEVICE;
    }

    @Override
    public Storage fromArray(float[] data) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        return new Buf(DType.FLOAT32, d);
    }

    @Override
    public Storage fromArray(double[] data) {
        return new Buf(DType.FLOAT64, data.clone());
    }

    @Override
    public float[] toFloatArray(Storage x) {
        double[] d = v(x);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public double[] toDoubleArray(Storage x) {
        return v(x).clone();
    }

    @Override
    public Storage full(DType dtype, int size, double value) {
        double[] d = new double[size];
        java.util.Arrays.fill(d, value);
        return new Buf(dtype, d);
    }

    @Override
    public Storage cast(Storage x, DType dtype) {
        return new Buf(dtype, v(x).clone());
    }

    @Override
    public Storage unary(UnaryOp op, Storage x, double param) {
        double[] in = v(x);
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = op.apply(in[i], param);
        }
        return like(x, out);
    }

    @Override
    public Storage binary(BinaryOp op, Storage a, int[] aShape, Storage b, int[] bShape, int[] outShape) {
        double[] out = new double[size(outShape)];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = op.apply(v(a)[broadcastOffset(idx, aShape)], v(b)[broadcastOffset(idx, bShape)]);
            next(idx, outShape);
        }
        return like(a, out);
    }

    @Override
    public Storage where(Storage cond, int[] condShape, Storage a, int[] aShape, Storage b, int[] bShape,
                         int[] outShape) {
        double[] out = new double[size(outShape)];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < out.length; i++) {
            boolean c = v(cond)[broadcastOffset(idx, condShape)] != 0;
            out[i] = c ? v(a)[broadcastOffset(idx, aShape)] : v(b)[broadcastOffset(idx, bShape)];
            next(idx, outShape);
        }
        return like(a, out);
    }

    @Override
    public Storage sum(Storage x, int[] shape, boolean[] axes) {
        int[] outShape = kept(shape, axes);
        double[] out = new double[size(outShape)];
        int[] idx = new int[shape.length];
        for (int i = 0; i < size(shape); i++) {
            out[broadcastOffset(idx, outShape)] += v(x)[i];
            next(idx, shape);
        }
        return like(x, out);
    }

    @Override
    public int[] argMax(Storage x, int[] shape, boolean[] axes) {
        int[] outShape = kept(shape, axes);
        int[] best = new int[size(outShape)];
        java.util.Arrays.fill(best, -1);
        int[] idx = new int[shape.length];
        double[] in = v(x);
        for (int i = 0; i < in.length; i++) {
            int o = broadcastOffset(idx, outShape);
            // Strictly greater keeps the first maximum; a NaN wins over numbers and stays.
            if (best[o] < 0 || (!Double.isNaN(in[best[o]]) && (in[i] > in[best[o]] || Double.isNaN(in[i])))) {
                best[o] = i;
            }
            next(idx, shape);
        }
        return best;
    }

    @Override
    public Storage permute(Storage x, int[] shape, int[] perm) {
        int[] outShape = new int[perm.length];
        for (int a = 0; a < perm.length; a++) {
            outShape[a] = shape[perm[a]];
        }
        int[] strides = strides(shape);
        double[] out = new double[size(shape)];
        int[] idx = new int[perm.length];
        for (int i = 0; i < out.length; i++) {
            int off = 0;
            for (int a = 0; a < perm.length; a++) {
                off += idx[a] * strides[perm[a]];
            }
            out[i] = v(x)[off];
            next(idx, outShape);
        }
        return like(x, out);
    }

    @Override
    public Storage expand(Storage x, int[] shape, int[] outShape) {
        double[] out = new double[size(outShape)];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = v(x)[broadcastOffset(idx, shape)];
            next(idx, outShape);
        }
        return like(x, out);
    }

    @Override
    public Storage slice(Storage x, int[] shape, int[] start, int[] outShape) {
        int[] strides = strides(shape);
        double[] out = new double[size(outShape)];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < out.length; i++) {
            int off = 0;
            for (int a = 0; a < idx.length; a++) {
                off += (idx[a] + start[a]) * strides[a];
            }
            out[i] = v(x)[off];
            next(idx, outShape);
        }
        return like(x, out);
    }

    @Override
    public Storage pad(Storage x, int[] shape, int[] before, int[] outShape, double value) {
        double[] out = new double[size(outShape)];
        java.util.Arrays.fill(out, value);
        int[] outStrides = strides(outShape);
        int[] idx = new int[shape.length];
        for (int i = 0; i < size(shape); i++) {
            int off = 0;
            for (int a = 0; a < idx.length; a++) {
                off += (idx[a] + before[a]) * outStrides[a];
            }
            out[off] = v(x)[i];
            next(idx, shape);
        }
        return like(x, out);
    }

    @Override
    public Storage concat(List<Storage> xs, List<int[]> shapes, int axis, int[] outShape) {
        double[] out = new double[size(outShape)];
        int[] outStrides = strides(outShape);
        int offset = 0;
        for (int p = 0; p < xs.size(); p++) {
            int[] shape = shapes.get(p);
            int[] idx = new int[shape.length];
            for (int i = 0; i < size(shape); i++) {
                int off = 0;
                for (int a = 0; a < idx.length; a++) {
                    off += (idx[a] + (a == axis ? offset : 0)) * outStrides[a];
                }
                out[off] = v(xs.get(p))[i];
                next(idx, shape);
            }
            offset += shape[axis];
        }
        return like(xs.get(0), out);
    }

    @Override
    public Storage take(Storage x, int[] index) {
        double[] out = new double[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = v(x)[index[i]];
        }
        return like(x, out);
    }

    @Override
    public Storage scatterAdd(Storage src, int[] index, int outSize) {
        double[] out = new double[outSize];
        for (int i = 0; i < index.length; i++) {
            out[index[i]] += v(src)[i];
        }
        return like(src, out);
    }

    @Override
    public Storage matmul(Storage a, Storage b, int batch, int m, int k, int n) {
        double[] out = new double[batch * m * n];
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        s += v(a)[p * m * k + i * k + q] * v(b)[p * k * n + q * n + j];
                    }
                    out[p * m * n + i * n + j] = s;
                }
            }
        }
        return like(a, out);
    }

    @Override
    public Storage conv2d(Storage x, int[] xs, Storage w, int[] ws, ConvGeometry g) {
        int oh = g.outH(xs[2], ws[2]);
        int ow = g.outW(xs[3], ws[3]);
        double[] out = new double[xs[0] * ws[0] * oh * ow];
        forEachTap(xs, ws, g, (n, f, c, y, x0, kh, kw, ih, iw) ->
                out[((n * ws[0] + f) * oh + y) * ow + x0] +=
                        v(x)[((n * xs[1] + c) * xs[2] + ih) * xs[3] + iw] * v(w)[((f * ws[1] + c) * ws[2] + kh) * ws[3] + kw]);
        return like(x, out);
    }

    @Override
    public Storage conv2dBackwardInput(Storage gradOut, int[] gs, Storage w, int[] ws, int[] xs, ConvGeometry g) {
        double[] out = new double[size(xs)];
        forEachTap(xs, ws, g, (n, f, c, y, x0, kh, kw, ih, iw) ->
                out[((n * xs[1] + c) * xs[2] + ih) * xs[3] + iw] +=
                        v(gradOut)[((n * gs[1] + f) * gs[2] + y) * gs[3] + x0] * v(w)[((f * ws[1] + c) * ws[2] + kh) * ws[3] + kw]);
        return like(gradOut, out);
    }

    @Override
    public Storage conv2dBackwardFilter(Storage x, int[] xs, Storage gradOut, int[] gs, int[] ws, ConvGeometry g) {
        double[] out = new double[size(ws)];
        forEachTap(xs, ws, g, (n, f, c, y, x0, kh, kw, ih, iw) ->
                out[((f * ws[1] + c) * ws[2] + kh) * ws[3] + kw] +=
                        v(gradOut)[((n * gs[1] + f) * gs[2] + y) * gs[3] + x0] * v(x)[((n * xs[1] + c) * xs[2] + ih) * xs[3] + iw]);
        return like(x, out);
    }

    /** One multiply-add of a convolution: output (n, f, y, x) meets input (n, c, ih, iw) at tap (kh, kw). */
    private interface Tap {
        void at(int n, int f, int c, int y, int x, int kh, int kw, int ih, int iw);
    }

    /** Visits every in-bounds tap of conv2d, the single definition the three convolution kernels share. */
    private static void forEachTap(int[] xs, int[] ws, ConvGeometry g, Tap tap) {
        int oh = g.outH(xs[2], ws[2]);
        int ow = g.outW(xs[3], ws[3]);
        for (int n = 0; n < xs[0]; n++) {
            for (int f = 0; f < ws[0]; f++) {
                for (int c = 0; c < ws[1]; c++) {
                    for (int y = 0; y < oh; y++) {
                        for (int x = 0; x < ow; x++) {
                            for (int kh = 0; kh < ws[2]; kh++) {
                                for (int kw = 0; kw < ws[3]; kw++) {
                                    int ih = y * g.strideH() - g.padH() + kh;
                                    int iw = x * g.strideW() - g.padW() + kw;
                                    if (ih >= 0 && ih < xs[2] && iw >= 0 && iw < xs[3]) {
                                        tap.at(n, f, c, y, x, kh, kw, ih, iw);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public int[] maxPool2dArgMax(Storage x, int[] xs, int kh, int kw, ConvGeometry g) {
        int oh = g.outH(xs[2], kh);
        int ow = g.outW(xs[3], kw);
        int[] out = new int[xs[0] * xs[1] * oh * ow];
        int o = 0;
        for (int nc = 0; nc < xs[0] * xs[1]; nc++) {
            for (int y = 0; y < oh; y++) {
                for (int x0 = 0; x0 < ow; x0++) {
                    int best = -1;
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            int ih = y * g.strideH() - g.padH() + i;
                            int iw = x0 * g.strideW() - g.padW() + j;
                            if (ih < 0 || ih >= xs[2] || iw < 0 || iw >= xs[3]) {
                                continue;
                            }
                            int at = (nc * xs[2] + ih) * xs[3] + iw;
                            double value = v(x)[at];
                            // As in argMax: the first maximum wins ties, and a NaN wins and stays.
                            if (best < 0 || (!Double.isNaN(v(x)[best]) && (value > v(x)[best] || Double.isNaN(value)))) {
                                best = at;
                            }
                        }
                    }
                    out[o++] = best;
                }
            }
        }
        return out;
    }

    @Override
    public Storage logSoftmax(Storage x, int outer, int n, int inner) {
        double[] in = v(x);
        double[] out = new double[in.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, in[(o * n + j) * inner + i]);
                }
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += Math.exp(in[(o * n + j) * inner + i] - max);
                }
                double logSum = max + Math.log(s);
                for (int j = 0; j < n; j++) {
                    out[(o * n + j) * inner + i] = in[(o * n + j) * inner + i] - logSum;
                }
            }
        }
        return like(x, out);
    }

    // ---- multi-index helpers

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            s[a] = acc;
            acc *= shape[a];
        }
        return s;
    }

    private static int[] kept(int[] shape, boolean[] axes) {
        int[] k = shape.clone();
        for (int a = 0; a < k.length; a++) {
            if (axes[a]) {
                k[a] = 1;
            }
        }
        return k;
    }

    /** Offset into a tensor of {@code shape} (right-aligned, size-1 dims broadcast) at output index idx. */
    private static int broadcastOffset(int[] idx, int[] shape) {
        int off = 0;
        int lead = idx.length - shape.length;
        for (int a = 0; a < shape.length; a++) {
            off = off * shape[a] + (shape[a] == 1 ? 0 : idx[a + lead]);
        }
        return off;
    }

    /** Advances a row-major multi-index. */
    private static void next(int[] idx, int[] shape) {
        for (int a = idx.length - 1; a >= 0; a--) {
            if (++idx[a] < shape[a]) {
                return;
            }
            idx[a] = 0;
        }
    }
}
