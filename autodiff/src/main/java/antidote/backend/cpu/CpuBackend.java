package antidote.backend.cpu;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.backend.UnaryOp;
import antidote.tensor.DType;
import antidote.tensor.Device;

import java.util.Arrays;
import java.util.List;

import static antidote.backend.cpu.Layout.requireSize;
import static antidote.backend.cpu.Layout.size;

/**
 * Float32 and float64 kernels on Java arrays, multi-threaded over a fixed pool. Every kernel splits its work
 * by output element and sums each element in a fixed order, so a result never depends on the thread count or
 * on scheduling. Scalar math goes through {@link UnaryOp#apply} and {@link BinaryOp#apply} in float64, rounded
 * on store, exactly as the reference backend does.
 */
public final class CpuBackend implements Backend {
    /** Below this many scalar operations a kernel runs on the calling thread: a hand-off costs microseconds. */
    static final long DEFAULT_GRAIN = 1 << 15;

    private final Parallel parallel;

    /** A backend that uses {@code threads} threads, the calling one included. */
    public CpuBackend(int threads) {
        this(threads, DEFAULT_GRAIN);
    }

    /** As {@link #CpuBackend(int)}, splitting any work of at least {@code grain} operations (tests force 1). */
    CpuBackend(int threads, long grain) {
        this.parallel = new Parallel(threads, grain);
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public String toString() {
        return "CpuBackend(" + parallel.threads() + " threads)";
    }

    // ---- host transfer and creation

    @Override
    public Storage fromArray(float[] data) {
        return new CpuStorage.F32(data.clone());
    }

    @Override
    public Storage fromArray(double[] data) {
        return new CpuStorage.F64(data.clone());
    }

    @Override
    public float[] toFloatArray(Storage x) {
        CpuStorage s = cpu(x, "x");
        if (s instanceof CpuStorage.F32 f) {
            return f.data().clone();
        }
        float[] out = new float[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) s.get(i);
        }
        return out;
    }

    @Override
    public double[] toDoubleArray(Storage x) {
        CpuStorage s = cpu(x, "x");
        if (s instanceof CpuStorage.F64 d) {
            return d.data().clone();
        }
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i);
        }
        return out;
    }

    @Override
    public Storage full(DType dtype, int size, double value) {
        CpuStorage out = CpuStorage.zeros(dtype, size);
        if (out instanceof CpuStorage.F32 f) {
            Arrays.fill(f.data(), (float) value);
        } else {
            Arrays.fill(((CpuStorage.F64) out).data(), value);
        }
        return out;
    }

    @Override
    public Storage cast(Storage x, DType dtype) {
        CpuStorage s = cpu(x, "x");
        if (s.dtype() == dtype) {
            return s;
        }
        CpuStorage out = CpuStorage.zeros(dtype, s.size());
        parallel.forRange(s.size(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                out.set(i, s.get(i));
            }
        });
        return out;
    }

    // ---- elementwise

    @Override
    public Storage unary(UnaryOp op, Storage x, double param) {
        CpuStorage s = cpu(x, "x");
        CpuStorage out = s.allocate(s.size());
        parallel.forRange(s.size(), 8, (from, to) -> {
            for (int i = from; i < to; i++) {
                out.set(i, op.apply(s.get(i), param));
            }
        });
        return out;
    }

    @Override
    public Storage binary(BinaryOp op, Storage a, int[] aShape, Storage b, int[] bShape, int[] outShape) {
        CpuStorage x = cpu(a, "a");
        CpuStorage y = sameDtype(x, cpu(b, "b"), "b");
        requireSize(x, aShape, "a");
        requireSize(y, bShape, "b");
        int[] aStrides = Layout.broadcastStrides(aShape, outShape);
        int[] bStrides = Layout.broadcastStrides(bShape, outShape);
        CpuStorage out = x.allocate(size(outShape));
        int length = StridedRows.rowLength(outShape);
        parallel.forRange(StridedRows.rowCount(outShape), 2L * length, (from, to) -> {
            StridedRows rows = new StridedRows(outShape, new int[2], aStrides, bStrides);
            rows.seek(from);
            int aStep = rows.step(0);
            int bStep = rows.step(1);
            for (int r = from; r < to; r++, rows.next()) {
                int ao = rows.offset(0);
                int bo = rows.offset(1);
                for (int j = 0, o = r * length; j < length; j++, o++) {
                    out.set(o, op.apply(x.get(ao + j * aStep), y.get(bo + j * bStep)));
                }
            }
        });
        return out;
    }

    @Override
    public Storage where(Storage cond, int[] condShape, Storage a, int[] aShape, Storage b, int[] bShape,
                         int[] outShape) {
        CpuStorage c = cpu(cond, "cond");
        CpuStorage x = sameDtype(c, cpu(a, "a"), "a");
        CpuStorage y = sameDtype(c, cpu(b, "b"), "b");
        requireSize(c, condShape, "cond");
        requireSize(x, aShape, "a");
        requireSize(y, bShape, "b");
        int[] cStrides = Layout.broadcastStrides(condShape, outShape);
        int[] aStrides = Layout.broadcastStrides(aShape, outShape);
        int[] bStrides = Layout.broadcastStrides(bShape, outShape);
        CpuStorage out = x.allocate(size(outShape));
        int length = StridedRows.rowLength(outShape);
        parallel.forRange(StridedRows.rowCount(outShape), 2L * length, (from, to) -> {
            StridedRows rows = new StridedRows(outShape, new int[3], cStrides, aStrides, bStrides);
            rows.seek(from);
            for (int r = from; r < to; r++, rows.next()) {
                for (int j = 0, o = r * length; j < length; j++, o++) {
                    boolean pickA = c.get(rows.offset(0) + j * rows.step(0)) != 0;
                    out.set(o, pickA ? x.get(rows.offset(1) + j * rows.step(1))
                            : y.get(rows.offset(2) + j * rows.step(2)));
                }
            }
        });
        return out;
    }

    // ---- reductions

    @Override
    public Storage sum(Storage x, int[] shape, boolean[] axes) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, shape, "x");
        Reduction r = new Reduction(shape, axes);
        CpuStorage out = s.allocate(r.keptOffsets.length);
        // Each output is summed in float64 in increasing flat-index order, as the reference does.
        parallel.forRange(r.keptOffsets.length, r.reducedOffsets.length, (from, to) -> {
            for (int o = from; o < to; o++) {
                int base = r.keptOffsets[o];
                double total = 0;
                for (int offset : r.reducedOffsets) {
                    total += s.get(base + offset);
                }
                out.set(o, total);
            }
        });
        return out;
    }

    @Override
    public int[] argMax(Storage x, int[] shape, boolean[] axes) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, shape, "x");
        Reduction r = new Reduction(shape, axes);
        int[] out = new int[r.keptOffsets.length];
        parallel.forRange(out.length, r.reducedOffsets.length, (from, to) -> {
            for (int o = from; o < to; o++) {
                int best = -1;
                double bestValue = Double.NaN;
                // Offsets rise with the flat index, so strictly greater keeps the first maximum; the first
                // NaN wins over numbers and is never replaced.
                for (int offset : r.reducedOffsets) {
                    int at = r.keptOffsets[o] + offset;
                    double v = s.get(at);
                    if (best < 0 || (!Double.isNaN(bestValue) && (v > bestValue || Double.isNaN(v)))) {
                        best = at;
                        bestValue = v;
                    }
                }
                out[o] = best;
            }
        });
        return out;
    }

    /** A reduction as offsets: each output's first input element, and the steps to its other elements. */
    private static final class Reduction {
        final int[] keptOffsets;
        final int[] reducedOffsets;

        Reduction(int[] shape, boolean[] axes) {
            if (axes.length != shape.length) {
                throw new IllegalArgumentException("reduction flags " + Arrays.toString(axes) + " do not match shape "
                        + Arrays.toString(shape) + ": give one flag per dimension");
            }
            int[] kept = shape.clone();
            int[] reduced = new int[shape.length];
            for (int a = 0; a < shape.length; a++) {
                kept[a] = axes[a] ? 1 : shape[a];
                reduced[a] = axes[a] ? shape[a] : 1;
            }
            int[] strides = Layout.strides(shape);
            keptOffsets = Layout.offsets(kept, strides);
            reducedOffsets = Layout.offsets(reduced, strides);
        }
    }

    // ---- movement

    @Override
    public Storage permute(Storage x, int[] shape, int[] perm) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, shape, "x");
        int[] strides = Layout.strides(shape);
        int[] outShape = new int[perm.length];
        int[] sourceStrides = new int[perm.length];
        for (int a = 0; a < perm.length; a++) {
            outShape[a] = shape[perm[a]];
            sourceStrides[a] = strides[perm[a]];
        }
        return gather(s, 0, sourceStrides, outShape);
    }

    @Override
    public Storage expand(Storage x, int[] shape, int[] outShape) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, shape, "x");
        return gather(s, 0, Layout.broadcastStrides(shape, outShape), outShape);
    }

    @Override
    public Storage slice(Storage x, int[] shape, int[] start, int[] outShape) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, shape, "x");
        int[] strides = Layout.strides(shape);
        int base = 0;
        for (int a = 0; a < shape.length; a++) {
            if (start[a] < 0 || start[a] + outShape[a] > shape[a]) {
                throw new IllegalArgumentException("slice of " + Arrays.toString(outShape) + " at "
                        + Arrays.toString(start) + " leaves " + Arrays.toString(shape) + " in dimension " + a);
            }
            base += start[a] * strides[a];
        }
        return gather(s, base, strides, outShape);
    }

    @Override
    public Storage pad(Storage x, int[] shape, int[] before, int[] outShape, double value) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, shape, "x");
        CpuStorage out = (CpuStorage) full(s.dtype(), size(outShape), value);
        place(s, shape, out, outShape, before);
        return out;
    }

    @Override
    public Storage concat(List<Storage> xs, List<int[]> shapes, int axis, int[] outShape) {
        CpuStorage first = cpu(xs.get(0), "xs[0]");
        CpuStorage out = first.allocate(size(outShape));
        int[] before = new int[outShape.length];
        for (int p = 0; p < xs.size(); p++) {
            CpuStorage part = sameDtype(first, cpu(xs.get(p), "xs[" + p + "]"), "xs[" + p + "]");
            requireSize(part, shapes.get(p), "xs[" + p + "]");
            place(part, shapes.get(p), out, outShape, before);
            before[axis] += shapes.get(p)[axis];
        }
        if (before[axis] != outShape[axis]) {
            throw new IllegalArgumentException("concat parts add up to " + before[axis] + " along axis " + axis
                    + " but the output shape " + Arrays.toString(outShape) + " says " + outShape[axis]);
        }
        return out;
    }

    @Override
    public Storage take(Storage x, int[] index) {
        CpuStorage s = cpu(x, "x");
        requireIndices(index, s.size(), "take");
        CpuStorage out = s.allocate(index.length);
        parallel.forRange(index.length, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                out.set(i, s.get(index[i]));
            }
        });
        return out;
    }

    @Override
    public Storage scatterAdd(Storage src, int[] index, int outSize) {
        CpuStorage s = cpu(src, "src");
        if (index.length != s.size()) {
            throw new IllegalArgumentException("scatterAdd has " + index.length + " indices for " + s.size()
                    + " source elements; give one index per element");
        }
        requireIndices(index, outSize, "scatterAdd");
        // Sequential and in float64, in order of i, as specified; repeated indices make a split by i racy.
        double[] total = new double[outSize];
        for (int i = 0; i < index.length; i++) {
            total[index[i]] += s.get(i);
        }
        CpuStorage out = s.allocate(outSize);
        for (int i = 0; i < outSize; i++) {
            out.set(i, total[i]);
        }
        return out;
    }

    /** out[i] = x[base + Σ index[a]·sourceStrides[a]] over the row-major multi-indices of outShape. */
    private CpuStorage gather(CpuStorage x, int base, int[] sourceStrides, int[] outShape) {
        CpuStorage out = x.allocate(size(outShape));
        int length = StridedRows.rowLength(outShape);
        parallel.forRange(StridedRows.rowCount(outShape), length, (from, to) -> {
            StridedRows rows = new StridedRows(outShape, new int[]{base}, sourceStrides);
            rows.seek(from);
            for (int r = from; r < to; r++, rows.next()) {
                x.copyTo(rows.offset(0), rows.step(0), out, r * length, 1, length);
            }
        });
        return out;
    }

    /** Copies all of x (of shape) into out (of outShape) at offset {@code before}; pad and concat share it. */
    private void place(CpuStorage x, int[] shape, CpuStorage out, int[] outShape, int[] before) {
        int[] outStrides = Layout.strides(outShape);
        int base = 0;
        for (int a = 0; a < shape.length; a++) {
            if (before[a] < 0 || before[a] + shape[a] > outShape[a]) {
                throw new IllegalArgumentException(Arrays.toString(shape) + " placed at " + Arrays.toString(before)
                        + " does not fit in " + Arrays.toString(outShape) + " in dimension " + a);
            }
            base += before[a] * outStrides[a];
        }
        int start = base;
        int length = StridedRows.rowLength(shape);
        parallel.forRange(StridedRows.rowCount(shape), length, (from, to) -> {
            StridedRows rows = new StridedRows(shape, new int[]{start}, outStrides);
            rows.seek(from);
            for (int r = from; r < to; r++, rows.next()) {
                x.copyTo(r * length, 1, out, rows.offset(0), rows.step(0), length);
            }
        });
    }

    // ---- linear algebra and convolution

    @Override
    public Storage matmul(Storage a, Storage b, int batch, int m, int k, int n) {
        CpuStorage x = cpu(a, "a");
        CpuStorage y = sameDtype(x, cpu(b, "b"), "b");
        requireSize(x, new int[]{batch, m, k}, "a");
        requireSize(y, new int[]{batch, k, n}, "b");
        CpuStorage out = x.allocate(batch * m * n);
        parallel.forRange(batch * m, (long) k * n, (from, to) -> {
            for (int row = from; row < to; row++) {
                int p = row / m;
                Gemm.multiplyAdd(x, row * k, k, y, p * k * n, n, out, row * n, n, 1, k, n);
            }
        });
        return out;
    }

    @Override
    public Storage conv2d(Storage x, int[] xShape, Storage w, int[] wShape, ConvGeometry geometry) {
        CpuStorage input = cpu(x, "x");
        CpuStorage filter = sameDtype(input, cpu(w, "w"), "w");
        requireConv(input, xShape, filter, wShape, geometry);
        Im2col im2col = new Im2col(xShape, wShape[2], wShape[3], geometry);
        int filters = wShape[0];
        int rows = im2col.rows();
        int cols = im2col.cols();
        int imageSize = xShape[1] * xShape[2] * xShape[3];
        CpuStorage out = input.allocate(xShape[0] * filters * cols);
        // Images are independent: each chunk of the batch owns its im2col buffer and its slice of out.
        parallel.forRange(xShape[0], (long) filters * rows * cols, (from, to) -> {
            CpuStorage col = input.allocate(rows * cols);
            for (int n = from; n < to; n++) {
                im2col.gather(input, n * imageSize, col);
                Gemm.multiplyAdd(filter, 0, rows, col, 0, cols, out, n * filters * cols, cols, filters, rows, cols);
            }
        });
        return out;
    }

    @Override
    public Storage conv2dBackwardInput(Storage gradOut, int[] gradShape, Storage w, int[] wShape, int[] inputShape,
                                      ConvGeometry geometry) {
        CpuStorage grad = cpu(gradOut, "gradOut");
        CpuStorage filter = sameDtype(grad, cpu(w, "w"), "w");
        requireSize(filter, wShape, "w");
        requireGradOut(grad, gradShape, inputShape, wShape, geometry);
        Im2col im2col = new Im2col(inputShape, wShape[2], wShape[3], geometry);
        int filters = wShape[0];
        int rows = im2col.rows();
        int cols = im2col.cols();
        int imageSize = inputShape[1] * inputShape[2] * inputShape[3];
        // dCol = wᵀ·gradOut[n], with w viewed as [F, C·KH·KW]; col2im then folds dCol onto the image.
        CpuStorage filterT = gather(filter, 0, new int[]{1, rows}, new int[]{rows, filters});
        CpuStorage out = grad.allocate(size(inputShape));
        parallel.forRange(inputShape[0], (long) filters * rows * cols, (from, to) -> {
            for (int n = from; n < to; n++) {
                CpuStorage col = grad.allocate(rows * cols);
                Gemm.multiplyAdd(filterT, 0, filters, grad, n * filters * cols, cols, col, 0, cols, rows, filters, cols);
                im2col.scatterAdd(col, out, n * imageSize);
            }
        });
        return out;
    }

    @Override
    public Storage conv2dBackwardFilter(Storage x, int[] xShape, Storage gradOut, int[] gradShape, int[] filterShape,
                                       ConvGeometry geometry) {
        CpuStorage input = cpu(x, "x");
        CpuStorage grad = sameDtype(input, cpu(gradOut, "gradOut"), "gradOut");
        requireSize(input, xShape, "x");
        requireGradOut(grad, gradShape, xShape, filterShape, geometry);
        Im2col im2col = new Im2col(xShape, filterShape[2], filterShape[3], geometry);
        int filters = filterShape[0];
        int rows = im2col.rows();
        int cols = im2col.cols();
        int imageSize = xShape[1] * xShape[2] * xShape[3];
        CpuStorage out = input.allocate(filters * rows);
        // dW[:, r] = Σ_n gradOut[n]·col_n[r, :]ᵀ. Splitting by the im2col row r keeps the sum over images
        // inside one thread, so no two threads add into the same weight.
        parallel.forRange(rows, (long) xShape[0] * filters * cols, (from, to) -> {
            int width = to - from;
            CpuStorage colT = input.allocate(cols * width);
            for (int n = 0; n < xShape[0]; n++) {
                im2col.gatherTransposed(input, n * imageSize, from, to, colT);
                Gemm.multiplyAdd(grad, n * filters * cols, cols, colT, 0, width, out, from, rows, filters, cols, width);
            }
        });
        return out;
    }

    @Override
    public int[] maxPool2dArgMax(Storage x, int[] xShape, int kernelH, int kernelW, ConvGeometry geometry) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, xShape, "x");
        int h = xShape[2];
        int w = xShape[3];
        int outH = geometry.outH(h, kernelH);
        int outW = geometry.outW(w, kernelW);
        int[] out = new int[xShape[0] * xShape[1] * outH * outW];
        parallel.forRange(xShape[0] * xShape[1], (long) outH * outW * kernelH * kernelW, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                for (int y = 0; y < outH; y++) {
                    for (int x0 = 0; x0 < outW; x0++) {
                        int best = -1;
                        double bestValue = Double.NaN;
                        // Row-major window order with strictly greater: the first maximum wins.
                        for (int i = 0; i < kernelH; i++) {
                            int ih = y * geometry.strideH() - geometry.padH() + i;
                            for (int j = 0; j < kernelW; j++) {
                                int iw = x0 * geometry.strideW() - geometry.padW() + j;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                                    continue;
                                }
                                int at = (plane * h + ih) * w + iw;
                                double v = s.get(at);
                                // Strictly greater keeps the first maximum; a NaN wins and stays, as in argMax.
                                if (best < 0 || (!Double.isNaN(bestValue) && (v > bestValue || Double.isNaN(v)))) {
                                    best = at;
                                    bestValue = v;
                                }
                            }
                        }
                        out[(plane * outH + y) * outW + x0] = best;
                    }
                }
            }
        });
        return out;
    }

    @Override
    public Storage logSoftmax(Storage x, int outer, int n, int inner) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, new int[]{outer, n, inner}, "x");
        CpuStorage out = s.allocate(s.size());
        parallel.forRange(outer * inner, 8L * n, (from, to) -> {
            for (int line = from; line < to; line++) {
                int base = (line / inner) * n * inner + line % inner;
                // Subtracting the maximum keeps exp from overflowing; sums run in float64.
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, s.get(base + j * inner));
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += Math.exp(s.get(base + j * inner) - max);
                }
                double logSum = max + Math.log(sum);
                for (int j = 0; j < n; j++) {
                    out.set(base + j * inner, s.get(base + j * inner) - logSum);
                }
            }
        });
        return out;
    }

    // ---- argument checks

    private static CpuStorage cpu(Storage x, String what) {
        if (x instanceof CpuStorage s) {
            return s;
        }
        throw new IllegalArgumentException(what + " is a " + x.getClass().getName()
                + ", not CPU storage; move the tensor to the CPU with .to(Device.CPU) first");
    }

    private static CpuStorage sameDtype(CpuStorage first, CpuStorage other, String what) {
        if (first.dtype() != other.dtype()) {
            throw new IllegalArgumentException(what + " is " + other.dtype() + " but the kernel's first input is "
                    + first.dtype() + "; cast one of them first");
        }
        return other;
    }

    private static void requireIndices(int[] index, int size, String kernel) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= size) {
                throw new IndexOutOfBoundsException(kernel + ": index[" + i + "] = " + index[i]
                        + " is outside [0, " + size + ")");
            }
        }
    }

    private static void requireConv(CpuStorage x, int[] xShape, CpuStorage w, int[] wShape, ConvGeometry g) {
        requireSize(x, xShape, "x");
        requireSize(w, wShape, "w");
        if (xShape.length != 4 || wShape.length != 4 || xShape[1] != wShape[1]) {
            throw new IllegalArgumentException("conv2d needs x [N,C,H,W] and w [F,C,KH,KW] with the same C, got "
                    + Arrays.toString(xShape) + " and " + Arrays.toString(wShape));
        }
        if (g.outH(xShape[2], wShape[2]) < 1 || g.outW(xShape[3], wShape[3]) < 1) {
            throw new IllegalArgumentException("conv2d kernel " + wShape[2] + "x" + wShape[3] + " does not fit image "
                    + xShape[2] + "x" + xShape[3] + " with " + g);
        }
    }

    private static void requireGradOut(CpuStorage grad, int[] gradShape, int[] xShape, int[] wShape, ConvGeometry g) {
        requireSize(grad, gradShape, "gradOut");
        if (xShape.length != 4 || wShape.length != 4 || xShape[1] != wShape[1]) {
            throw new IllegalArgumentException("conv2d gradients need input [N,C,H,W] and filter [F,C,KH,KW] with the"
                    + " same C, got " + Arrays.toString(xShape) + " and " + Arrays.toString(wShape));
        }
        int[] expected = {xShape[0], wShape[0], g.outH(xShape[2], wShape[2]), g.outW(xShape[3], wShape[3])};
        if (!Arrays.equals(gradShape, expected)) {
            throw new IllegalArgumentException("conv2d gradient " + Arrays.toString(gradShape) + " does not match input "
                    + Arrays.toString(xShape) + " and filter " + Arrays.toString(wShape) + "; expected "
                    + Arrays.toString(expected));
        }
    }
}
