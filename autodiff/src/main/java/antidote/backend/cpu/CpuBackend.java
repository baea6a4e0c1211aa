package antidote.backend.cpu;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.backend.Strides;
import antidote.backend.UnaryOp;
import antidote.tensor.DType;
import antidote.tensor.Device;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static antidote.backend.cpu.Layout.requireSize;
import static antidote.backend.cpu.Layout.size;

/**
 * Float32 and float64 kernels on Java arrays, multi-threaded over a fixed pool. Every kernel splits its work
 * by output element and sums each element in a fixed order, so a result never depends on scheduling, nor on
 * the thread count except in the float32 convolution filter gradient, which adds one partial sum per thread.
 * Scalar math goes through {@link UnaryOp#apply} and {@link BinaryOp#apply} in float64, rounded on store,
 * exactly as the reference backend does (the SIMD ELU aside: see {@link NegativeExpm1}).
 */
public final class CpuBackend implements Backend {
    /** Below this many scalar operations a kernel runs on the calling thread: a hand-off costs microseconds. */
    static final long DEFAULT_GRAIN = 1 << 15;

    private final Parallel parallel;
    private final Kernels kernels;
    private final ThreadLocal<Workspace> workspaces;

    /**
     * A backend that uses {@code threads} threads, the calling one included, and the SIMD kernels when the JVM
     * has {@code --add-modules jdk.incubator.vector} (unless {@code -Dantidote.cpu.plain=true}).
     */
    public CpuBackend(int threads) {
        this(threads, DEFAULT_GRAIN, Boolean.getBoolean("antidote.cpu.plain"));
    }

    /** As {@link #CpuBackend(int)}, splitting any work of at least {@code grain} operations (tests force 1). */
    CpuBackend(int threads, long grain) {
        this(threads, grain, Boolean.getBoolean("antidote.cpu.plain"));
    }

    /** As {@link #CpuBackend(int, long)}; {@code plain} forces the plain-Java kernels (tests cover both paths). */
    CpuBackend(int threads, long grain, boolean plain) {
        this.parallel = new Parallel(threads, grain);
        this.kernels = Kernels.select(plain);
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(kernels));
    }

    /** The number of threads kernels run on, the calling one included. */
    public int threads() {
        return parallel.threads();
    }

    /** True when this backend runs the SIMD kernels of {@code jdk.incubator.vector}. */
    public boolean vectorized() {
        return !(kernels instanceof PlainKernels);
    }

    @Override
    public String toString() {
        return "CpuBackend(" + parallel.threads() + " threads, " + (vectorized() ? "SIMD" : "plain") + ")";
    }

    @Override
    public Device device() {
        return Device.CPU;
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
        if (s instanceof CpuStorage.F32 f) {
            float[] out = new float[f.size()];
            parallel.forRange(f.size(), 8, (from, to) -> Elementwise.unary(op, param, f.data(), out, from, to, kernels));
            return new CpuStorage.F32(out);
        }
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
        int[] aStrides = Strides.broadcast(aShape, outShape);
        int[] bStrides = Strides.broadcast(bShape, outShape);
        if (x instanceof CpuStorage.F32 fa) {
            float[] fb = ((CpuStorage.F32) y).data();
            float[] out = new float[size(outShape)];
            Layout.Nest nest = Layout.Nest.of(outShape, aStrides, bStrides, Strides.contiguous(outShape));
            forRows(nest, 1, (rows, length) -> Elementwise.binaryRow(op, fa.data(), rows.offset(0), rows.step(0), fb,
                    rows.offset(1), rows.step(1), out, rows.offset(2), length, kernels));
            return new CpuStorage.F32(out);
        }
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
        int[] cStrides = Strides.broadcast(condShape, outShape);
        int[] aStrides = Strides.broadcast(aShape, outShape);
        int[] bStrides = Strides.broadcast(bShape, outShape);
        if (c instanceof CpuStorage.F32 fc) {
            float[] fa = ((CpuStorage.F32) x).data();
            float[] fb = ((CpuStorage.F32) y).data();
            float[] out = new float[size(outShape)];
            Layout.Nest nest = Layout.Nest.of(outShape, cStrides, aStrides, bStrides, Strides.contiguous(outShape));
            forRows(nest, 1, (rows, length) -> Elementwise.whereRow(fc.data(), rows.offset(0), rows.step(0), fa,
                    rows.offset(1), rows.step(1), fb, rows.offset(2), rows.step(2), out, rows.offset(3), length, kernels));
            return new CpuStorage.F32(out);
        }
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

    /** A body run once per row of a {@link Layout.Nest}, with the row's offsets and steps in {@code rows}. */
    @FunctionalInterface
    private interface RowBody {
        void run(StridedRows rows, int length);
    }

    /**
     * Runs {@code body} over the rows of {@code whole} (all dimensions but the last), split between threads;
     * a nest with fewer rows than threads has its rows cut into pieces first.
     */
    private void forRows(Layout.Nest whole, long costPerElement, RowBody body) {
        Layout.Nest nest = whole.withRowsAtLeast(parallel.threads());
        int[] shape = nest.shape();
        int length = StridedRows.rowLength(shape);
        parallel.forRange(StridedRows.rowCount(shape), costPerElement * length, (from, to) -> {
            StridedRows rows = new StridedRows(shape, new int[nest.strides().length], nest.strides());
            rows.seek(from);
            for (int r = from; r < to; r++, rows.next()) {
                body.run(rows, length);
            }
        });
    }

    // ---- reductions

    @Override
    public Storage sum(Storage x, int[] shape, boolean[] axes) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, shape, "x");
        if (s instanceof CpuStorage.F32 f) {
            return new CpuStorage.F32(sum(f.data(), shape, axes));
        }
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

    /**
     * Float32 sum in float64 over a coalesced nest. When the innermost dimension is summed, each output adds
     * contiguous runs (four interleaved partial sums per run); when it is kept, a row of outputs accumulates
     * whole input rows. Either way an output's terms are added in a fixed order that no thread count changes.
     */
    private float[] sum(float[] x, int[] shape, boolean[] axes) {
        if (axes.length != shape.length) {
            throw new IllegalArgumentException("reduction flags " + Arrays.toString(axes) + " do not match shape "
                    + Arrays.toString(shape) + ": give one flag per dimension");
        }
        int[] kept = shape.clone();
        int[] outStrides = new int[shape.length];
        int acc = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            kept[a] = axes[a] ? 1 : shape[a];
            outStrides[a] = axes[a] ? 0 : acc;
            acc *= kept[a];
        }
        float[] out = new float[size(kept)];
        if (x.length == 0) {
            return out;
        }
        Layout.Nest nest = Layout.Nest.of(shape, Strides.contiguous(shape), outStrides);
        int rank = nest.shape().length;
        int[] inStride = nest.strides()[0];
        boolean[] reduced = new boolean[rank];
        for (int a = 0; a < rank; a++) {
            reduced[a] = nest.strides()[1][a] == 0 && nest.shape()[a] > 1;
        }
        int inner = nest.shape()[rank - 1];
        boolean innerReduced = reduced[rank - 1];
        // Offsets into x of the outer reduced positions and of each output (or output row) start.
        int[] outerDims = Arrays.copyOf(nest.shape(), rank - 1);
        int[] reducedDims = outerDims.clone();
        int[] keptDims = outerDims.clone();
        for (int a = 0; a < rank - 1; a++) {
            reducedDims[a] = reduced[a] ? outerDims[a] : 1;
            keptDims[a] = reduced[a] ? 1 : outerDims[a];
        }
        int[] outerStrides = Arrays.copyOf(inStride, rank - 1);
        int[] reducedOffsets = Layout.offsets(reducedDims, outerStrides);
        int[] keptOffsets = Layout.offsets(keptDims, outerStrides);
        int step = inStride[rank - 1];
        if (innerReduced) {
            parallel.forRange(keptOffsets.length, (long) reducedOffsets.length * inner, (from, to) -> {
                for (int o = from; o < to; o++) {
                    double total = 0;
                    for (int r : reducedOffsets) {
                        total += step == 1 ? kernels.sum(x, keptOffsets[o] + r, inner)
                                : runSum(x, keptOffsets[o] + r, step, inner);
                    }
                    out[o] = (float) total;
                }
            });
        } else {
            parallel.forRange(keptOffsets.length, (long) reducedOffsets.length * inner, (from, to) -> {
                double[] row = new double[inner];
                for (int o = from; o < to; o++) {
                    Arrays.fill(row, 0);
                    for (int r : reducedOffsets) {
                        for (int j = 0, at = keptOffsets[o] + r; j < inner; j++, at += step) {
                            row[j] += x[at];
                        }
                    }
                    for (int j = 0; j < inner; j++) {
                        out[o * inner + j] = (float) row[j];
                    }
                }
            });
        }
        return out;
    }

    /**
     * Σ x[from + i·step] for i < n in float64, with eight interleaved partial sums added pairwise at the end:
     * eight independent chains hide the latency of the float64 adds (four left this loop latency-bound, 6-8%
     * of a training step in the batch-norm and bias sums).
     */
    private static double runSum(float[] x, int from, int step, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = 0;
        for (int at = from; i + 8 <= n; i += 8, at += 8 * step) {
            s0 += x[at];
            s1 += x[at + step];
            s2 += x[at + 2 * step];
            s3 += x[at + 3 * step];
            s4 += x[at + 4 * step];
            s5 += x[at + 5 * step];
            s6 += x[at + 6 * step];
            s7 += x[at + 7 * step];
        }
        for (int at = from + i * step; i < n; i++, at += step) {
            s0 += x[at];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
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
            int[] strides = Strides.contiguous(shape);
            keptOffsets = Layout.offsets(kept, strides);
            reducedOffsets = Layout.offsets(reduced, strides);
        }
    }

    // ---- movement

    @Override
    public Storage permute(Storage x, int[] shape, int[] perm) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, shape, "x");
        int[] strides = Strides.contiguous(shape);
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
        return gather(s, 0, Strides.broadcast(shape, outShape), outShape);
    }

    @Override
    public Storage slice(Storage x, int[] shape, int[] start, int[] outShape) {
        CpuStorage s = cpu(x, "x");
        requireSize(s, shape, "x");
        int[] strides = Strides.contiguous(shape);
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
        if (s instanceof CpuStorage.F32 f) {
            float[] out = new float[index.length];
            float[] data = f.data();
            parallel.forRange(index.length, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    out[i] = data[index[i]];
                }
            });
            return new CpuStorage.F32(out);
        }
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
        if (s instanceof CpuStorage.F32 f) {
            // Each thread owns a range of outputs and adds, in order of i, the sources that land there: the same
            // order as one pass, without races. Float32 sums: the common case (max-pool's backward) has no
            // repeated index at all.
            float[] out = new float[outSize];
            float[] values = f.data();
            parallel.forRange(outSize, Math.max(1, index.length / Math.max(1, outSize)), (from, to) -> {
                for (int i = 0; i < index.length; i++) {
                    int at = index[i];
                    if (at >= from && at < to) {
                        out[at] += values[i];
                    }
                }
            });
            return new CpuStorage.F32(out);
        }
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
        if (out.size() == 0) {
            return out;
        }
        Layout.Nest nest = Layout.Nest.of(outShape, sourceStrides, Strides.contiguous(outShape));
        forRows(nest, 1, (rows, length) -> x.copyTo(base + rows.offset(0), rows.step(0), out, rows.offset(1), 1,
                length));
        return out;
    }

    /** Copies all of x (of shape) into out (of outShape) at offset {@code before}; pad and concat share it. */
    private void place(CpuStorage x, int[] shape, CpuStorage out, int[] outShape, int[] before) {
        int[] outStrides = Strides.contiguous(outShape);
        int base = 0;
        for (int a = 0; a < shape.length; a++) {
            if (before[a] < 0 || before[a] + shape[a] > outShape[a]) {
                throw new IllegalArgumentException(Arrays.toString(shape) + " placed at " + Arrays.toString(before)
                        + " does not fit in " + Arrays.toString(outShape) + " in dimension " + a);
            }
            base += before[a] * outStrides[a];
        }
        int start = base;
        if (x.size() == 0) {
            return;
        }
        Layout.Nest nest = Layout.Nest.of(shape, Strides.contiguous(shape), outStrides);
        forRows(nest, 1, (rows, length) -> x.copyTo(rows.offset(0), rows.step(0), out, start + rows.offset(1),
                rows.step(1), length));
    }

    // ---- linear algebra and convolution

    @Override
    public Storage matmul(Storage a, Storage b, int batch, int m, int k, int n) {
        CpuStorage x = cpu(a, "a");
        CpuStorage y = sameDtype(x, cpu(b, "b"), "b");
        requireSize(x, new int[]{batch, m, k}, "a");
        requireSize(y, new int[]{batch, k, n}, "b");
        if (x instanceof CpuStorage.F64 dx) {
            double[] out = new double[batch * m * n];
            double[] dy = ((CpuStorage.F64) y).data();
            parallel.forRange(batch * m, (long) k * n, (from, to) -> {
                for (int row = from; row < to; row++) {
                    Gemm.multiplyAddPlain(dx.data(), row * k, k, dy, row / m * k * n, n, out, row * n, n, 1, k, n);
                }
            });
            return new CpuStorage.F64(out);
        }
        float[] fa = ((CpuStorage.F32) x).data();
        float[] fb = ((CpuStorage.F32) y).data();
        float[] out = new float[batch * m * n];
        if (batch >= parallel.threads()) {
            parallel.forRange(batch, (long) m * k * n, (from, to) -> {
                Gemm gemm = workspaces.get().gemm;
                for (int p = from; p < to; p++) {
                    gemm.multiplyAdd(m, n, k, Gemm.Matrix.of(fa, p * m * k, k), Gemm.Matrix.of(fb, p * k * n, n), out,
                            p * m * n, n);
                }
            });
            return new CpuStorage.F32(out);
        }
        for (int p = 0; p < batch; p++) {
            matmulSplit(fa, p * m * k, fb, p * k * n, out, p * m * n, m, k, n);
        }
        return new CpuStorage.F32(out);
    }

    /**
     * One product split between threads: by blocks of rows when there are enough of them (each thread then
     * packs only its rows of A, the strided copy, and copies B's rows whole), otherwise by blocks of columns.
     * Rows measured 2-10% faster on sgemm 512 to 2048, where each thread packed all of A. Either way every
     * element is computed exactly as on one thread.
     */
    private void matmulSplit(float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int m, int k,
                             int n) {
        Gemm first = workspaces.get().gemm;
        int nr = first.nr();
        int mr = first.mr();
        boolean byColumns = m < 8 * mr * parallel.threads() && n >= 4 * nr * parallel.threads();
        int unit = byColumns ? nr : mr;
        int units = ((byColumns ? n : m) + unit - 1) / unit;
        parallel.forRange(units, (long) unit * k * (byColumns ? m : n), (from, to) -> {
            Gemm gemm = workspaces.get().gemm;
            int lo = from * unit;
            if (byColumns) {
                int hi = Math.min(n, to * unit);
                gemm.multiplyAdd(m, hi - lo, k, Gemm.Matrix.of(a, aOffset, k), Gemm.Matrix.of(b, bOffset + lo, n), c,
                        cOffset + lo, n);
            } else {
                int hi = Math.min(m, to * unit);
                gemm.multiplyAdd(hi - lo, n, k, Gemm.Matrix.of(a, aOffset + lo * k, k), Gemm.Matrix.of(b, bOffset, n), c,
                        cOffset + lo * n, n);
            }
        });
    }

    @Override
    public Storage conv2d(Storage x, int[] xShape, Storage w, int[] wShape, ConvGeometry geometry) {
        return conv2d(x, xShape, w, wShape, null, geometry);
    }

    @Override
    public Storage conv2dBias(Storage x, int[] xShape, Storage w, int[] wShape, Storage bias, ConvGeometry geometry) {
        return conv2d(x, xShape, w, wShape, Objects.requireNonNull(bias, "bias"), geometry);
    }

    /** conv2d with the bias (null for none) written into each output plane before the products are added. */
    private Storage conv2d(Storage x, int[] xShape, Storage w, int[] wShape, Storage bias, ConvGeometry geometry) {
        CpuStorage input = cpu(x, "x");
        CpuStorage filter = sameDtype(input, cpu(w, "w"), "w");
        requireConv(input, xShape, filter, wShape, geometry);
        CpuStorage perFilter = bias == null ? null : sameDtype(input, cpu(bias, "bias"), "bias");
        if (perFilter != null) {
            requireSize(perFilter, new int[]{wShape[0]}, "bias");
        }
        if (input instanceof CpuStorage.F64 dx) {
            Conv64 conv = new Conv64(xShape, wShape, geometry);
            double[] out = new double[conv.outputs()];
            parallel.forRange(conv.outputs(), (long) wShape[1] * wShape[2] * wShape[3],
                    (from, to) -> conv.forward(dx.data(), ((CpuStorage.F64) filter).data(), out, from, to));
            if (perFilter != null) {
                double[] b = ((CpuStorage.F64) perFilter).data();
                int plane = out.length / xShape[0] / wShape[0];
                for (int i = 0; i < out.length; i++) {
                    out[i] += b[i / plane % wShape[0]];
                }
            }
            return new CpuStorage.F64(out);
        }
        return new CpuStorage.F32(conv2d(((CpuStorage.F32) input).data(), xShape, ((CpuStorage.F32) filter).data(),
                wShape, perFilter == null ? null : ((CpuStorage.F32) perFilter).data(), geometry));
    }

    /**
     * Float32 convolution. Stride 1 goes to {@link #implicitConv2d}; other strides run one GEMM per image,
     * out[n] = W·col(x[n]), with W [F, C·KH·KW] packed once and the im2col matrix built one GEMM panel of nr
     * output positions at a time, each used while it is still in L1. Images are split between threads.
     */
    private float[] conv2d(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, ConvGeometry geometry) {
        int outH = geometry.outH(xShape[2], wShape[2]);
        int outW = geometry.outW(xShape[3], wShape[3]);
        if (GroupedConv.suits(outH, outW)) {
            GroupedConv grouped = new GroupedConv(xShape, wShape, geometry);
            float[] out = new float[xShape[0] * wShape[0] * outH * outW];
            parallel.forRange(xShape[0], (long) wShape[0] * wShape[1] * wShape[2] * wShape[3] * outH * outW,
                    (from, to) -> grouped.forward(x, w, bias, out, from, to, workspaces.get()));
            return out;
        }
        if (ImplicitConv.supports(geometry)) {
            return implicitConv2d(x, xShape, w, wShape, bias, geometry);
        }
        Im2col im2col = new Im2col(xShape, wShape[2], wShape[3], geometry);
        int filters = wShape[0];
        int rows = im2col.rows();
        int cols = im2col.cols();
        int imageSize = xShape[1] * xShape[2] * xShape[3];
        float[] out = new float[xShape[0] * filters * cols];
        Gemm caller = workspaces.get().gemm;
        int nr = caller.nr();
        float[] packedW = caller.packWhole(Gemm.Matrix.of(w, 0, rows), filters, rows);
        parallel.forRange(xShape[0], (long) filters * rows * cols, (from, to) -> {
            Workspace ws = workspaces.get();
            float[] panel = ws.panel(rows * nr);
            for (int n = from; n < to; n++) {
                if (bias != null) {
                    for (int f = 0; f < filters; f++) {
                        Arrays.fill(out, (n * filters + f) * cols, (n * filters + f + 1) * cols, bias[f]);
                    }
                }
                for (int p0 = 0; p0 < cols; p0 += nr) {
                    im2col.packPanel(x, n * imageSize, p0, nr, panel);
                    ws.gemm.multiplyAddPacked(filters, Math.min(nr, cols - p0), rows, packedW, panel, out,
                            n * filters * cols + p0, cols);
                }
            }
        });
        return out;
    }

    /** Stride-1 float32 convolution by {@link ImplicitConv} in the layout it picks, images split between threads. */
    private float[] implicitConv2d(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias,
                                   ConvGeometry geometry) {
        ImplicitConv conv = new ImplicitConv(xShape, wShape[2], wShape[3], geometry);
        int filters = wShape[0];
        int imageSize = xShape[1] * xShape[2] * xShape[3];
        int outputSize = filters * geometry.outH(xShape[2], wShape[2]) * geometry.outW(xShape[3], wShape[3]);
        float[] out = new float[xShape[0] * outputSize];
        ImplicitConv.Strategy strategy = conv.strategy(filters, kernels);
        float[] filterOperand = conv.filterOperand(strategy, w, filters, workspaces.get().gemm);
        parallel.forRange(xShape[0], (long) outputSize * conv.taps(), (from, to) -> {
            Workspace ws = workspaces.get();
            for (int n = from; n < to; n++) {
                conv.forward(strategy, x, n * imageSize, filterOperand, filters, bias, ws, kernels, out,
                        n * outputSize);
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
        if (grad instanceof CpuStorage.F64 dg) {
            double[] out = new double[size(inputShape)];
            new Conv64(inputShape, wShape, geometry).backwardInput(dg.data(), ((CpuStorage.F64) filter).data(), out);
            return new CpuStorage.F64(out);
        }
        float[] g = ((CpuStorage.F32) grad).data();
        float[] wt = ((CpuStorage.F32) filter).data();
        int kh = wShape[2];
        int kw = wShape[3];
        if (GroupedConv.suits(gradShape[2], gradShape[3])) {
            GroupedConv grouped = new GroupedConv(inputShape, wShape, geometry);
            float[] out = new float[size(inputShape)];
            parallel.forRange(inputShape[0], (long) wShape[0] * wShape[1] * kh * kw * gradShape[2] * gradShape[3],
                    (from, to) -> grouped.addInputGradient(g, wt, out, from, to, workspaces.get()));
            return new CpuStorage.F32(out);
        }
        if (geometry.strideH() == 1 && geometry.strideW() == 1 && geometry.padH() < kh && geometry.padW() < kw) {
            // With stride 1 the input gradient is itself a convolution: of gradOut with the filter flipped in
            // space and with F and C swapped, padded by k − 1 − p. It then runs on the forward GEMM path.
            int[] flippedShape = {wShape[1], wShape[0], kh, kw};
            return new CpuStorage.F32(conv2d(g, gradShape, flipFilter(wt, wShape), flippedShape, null,
                    new ConvGeometry(1, 1, kh - 1 - geometry.padH(), kw - 1 - geometry.padW())));
        }
        Im2col im2col = new Im2col(inputShape, kh, kw, geometry);
        int filters = wShape[0];
        int rows = im2col.rows();
        int cols = im2col.cols();
        int imageSize = inputShape[1] * inputShape[2] * inputShape[3];
        float[] out = new float[size(inputShape)];
        // dCol = Wᵀ·gradOut[n] with W viewed as [F, C·KH·KW]; col2im then folds dCol onto the image.
        parallel.forRange(inputShape[0], (long) filters * rows * cols, (from, to) -> {
            Workspace ws = workspaces.get();
            float[] col = ws.panel(rows * cols);
            for (int n = from; n < to; n++) {
                Arrays.fill(col, 0, rows * cols, 0f);
                ws.gemm.multiplyAdd(rows, cols, filters, Gemm.Matrix.transposeOf(wt, 0, rows),
                        Gemm.Matrix.of(g, n * filters * cols, cols), col, 0, cols);
                im2col.scatterAdd(col, out, n * imageSize);
            }
        });
        return new CpuStorage.F32(out);
    }

    /** w'[c, f, i, j] = w[f, c, KH−1−i, KW−1−j]. */
    private static float[] flipFilter(float[] w, int[] wShape) {
        int filters = wShape[0];
        int channels = wShape[1];
        int kh = wShape[2];
        int kw = wShape[3];
        float[] out = new float[w.length];
        for (int f = 0; f < filters; f++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        out[((c * filters + f) * kh + i) * kw + j] = w[((f * channels + c) * kh + kh - 1 - i) * kw + kw - 1 - j];
                    }
                }
            }
        }
        return out;
    }

    @Override
    public Storage conv2dBackwardFilter(Storage x, int[] xShape, Storage gradOut, int[] gradShape, int[] filterShape,
                                       ConvGeometry geometry) {
        CpuStorage input = cpu(x, "x");
        CpuStorage grad = sameDtype(input, cpu(gradOut, "gradOut"), "gradOut");
        requireSize(input, xShape, "x");
        requireGradOut(grad, gradShape, xShape, filterShape, geometry);
        if (input instanceof CpuStorage.F64 dx) {
            double[] out = new double[size(filterShape)];
            new Conv64(xShape, filterShape, geometry).backwardFilter(dx.data(), ((CpuStorage.F64) grad).data(), out);
            return new CpuStorage.F64(out);
        }
        float[] fx = ((CpuStorage.F32) input).data();
        float[] g = ((CpuStorage.F32) grad).data();
        Im2col im2col = new Im2col(xShape, filterShape[2], filterShape[3], geometry);
        int filters = filterShape[0];
        int rows = im2col.rows();
        int cols = im2col.cols();
        int imageSize = xShape[1] * xShape[2] * xShape[3];
        int images = xShape[0];
        // dW = Σ_n gradOut[n]·col_nᵀ with gradOut[n] packed once per image. Stride-1 layers whose channels fill
        // whole panels take B straight from a channels-last copy of the image (ImplicitConv, tap-major partials);
        // the others transpose one nr-row block of col at a time into a GEMM panel. Each of a fixed number of
        // chunks of images sums into its own partial; the partials are then added in chunk order, so a given
        // thread count always gives the same bits.
        int chunks = parallel.chunks(images, (long) filters * rows * cols);
        if (chunks == 0) {
            return new CpuStorage.F32(new float[size(filterShape)]);
        }
        ImplicitConv implicit = ImplicitConv.supports(geometry)
                ? new ImplicitConv(xShape, filterShape[2], filterShape[3], geometry) : null;
        GroupedConv grouped = GroupedConv.suits(gradShape[2], gradShape[3])
                ? new GroupedConv(xShape, filterShape, geometry) : null;
        boolean tapMajor = grouped == null && implicit != null && implicit.supportsFilterGradient(kernels.nr());
        float[][] partials = new float[chunks][];
        parallel.forChunks(images, chunks, (chunk, from, to) -> {
            Workspace ws = workspaces.get();
            int nr = ws.gemm.nr();
            float[] panel = ws.panel(cols * nr + nr);
            float[] image = ws.image(tapMajor ? implicit.channelsLastSize(kernels) : cols);
            float[] packedGrad = ws.operand(ws.gemm.packedSize(filters, cols));
            float[] partial = new float[filters * rows];
            if (grouped != null) {
                grouped.addFilterGradient(fx, g, partial, from, to, ws);
                partials[chunk] = partial;
                return;
            }
            for (int n = from; n < to; n++) {
                ws.gemm.packWhole(Gemm.Matrix.of(g, n * filters * cols, cols), filters, cols, packedGrad);
                if (tapMajor) {
                    implicit.addFilterGradient(fx, n * imageSize, packedGrad, filters, ws.gemm, kernels, image, panel,
                            partial);
                    continue;
                }
                for (int r0 = 0; r0 < rows; r0 += nr) {
                    im2col.packRowsTransposed(fx, n * imageSize, r0, nr, panel, image);
                    ws.gemm.multiplyAddPacked(filters, Math.min(nr, rows - r0), cols, packedGrad, panel, partial, r0,
                            rows);
                }
            }
            partials[chunk] = partial;
        });
        float[] sum = partials[0];
        for (int c = 1; c < chunks; c++) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += partials[c][i];
            }
        }
        return new CpuStorage.F32(tapMajor ? fromTapMajor(sum, filterShape) : sum);
    }

    /** dW[f, c, kh, kw] from its tap-major form [KH·KW, F, C]. */
    private static float[] fromTapMajor(float[] tapMajor, int[] filterShape) {
        int filters = filterShape[0];
        int channels = filterShape[1];
        int taps = filterShape[2] * filterShape[3];
        float[] out = new float[tapMajor.length];
        for (int tap = 0; tap < taps; tap++) {
            for (int f = 0; f < filters; f++) {
                for (int c = 0; c < channels; c++) {
                    out[(f * channels + c) * taps + tap] = tapMajor[(tap * filters + f) * channels + c];
                }
            }
        }
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
        if (s instanceof CpuStorage.F32 f) {
            parallel.forRange(xShape[0] * xShape[1], (long) outH * outW * kernelH * kernelW,
                    (from, to) -> Pooling.maxArgMax(f.data(), h, w, kernelH, kernelW, geometry, out, from, to));
            return out;
        }
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
    public Storage eluBackward(Storage y, Storage gradOut, double alpha) {
        if (cpu(y, "y") instanceof CpuStorage.F32 f) {
            float[] g = floatData(gradOut, f.size(), "gradOut");
            float[] out = new float[f.size()];
            parallel.forRange(out.length, 4, (from, to) -> kernels.eluBackward(f.data(), g, out, from, to,
                    (float) alpha));
            return new CpuStorage.F32(out);
        }
        return Backend.super.eluBackward(y, gradOut, alpha);
    }

    @Override
    public Storage channelMoments(Storage x, int[] shape) {
        if (cpu(x, "x") instanceof CpuStorage.F32 f && shape.length >= 2) {
            requireSize(f, shape, "x");
            return new CpuStorage.F32(new BatchNormKernels(parallel, kernels, shape).moments(f.data()));
        }
        return Backend.super.channelMoments(x, shape);
    }

    @Override
    public Storage batchNorm(Storage x, int[] shape, Storage moments, Storage weight, Storage bias, double eps) {
        if (cpu(x, "x") instanceof CpuStorage.F32 f && shape.length >= 2) {
            requireSize(f, shape, "x");
            return new CpuStorage.F32(new BatchNormKernels(parallel, kernels, shape).forward(f.data(),
                    floatData(moments, 2 * shape[1], "moments"), floatData(weight, shape[1], "weight"),
                    floatData(bias, shape[1], "bias"), eps));
        }
        return Backend.super.batchNorm(x, shape, moments, weight, bias, eps);
    }

    @Override
    public Storage batchNormGradSums(Storage x, int[] shape, Storage moments, Storage gradOut) {
        if (cpu(x, "x") instanceof CpuStorage.F32 f && shape.length >= 2) {
            requireSize(f, shape, "x");
            return new CpuStorage.F32(new BatchNormKernels(parallel, kernels, shape).gradSums(f.data(),
                    floatData(moments, 2 * shape[1], "moments"), floatData(gradOut, f.size(), "gradOut")));
        }
        return Backend.super.batchNormGradSums(x, shape, moments, gradOut);
    }

    @Override
    public Storage batchNormBackward(Storage x, int[] shape, Storage moments, Storage weight, Storage gradOut,
                                     Storage gradSums, double eps) {
        if (cpu(x, "x") instanceof CpuStorage.F32 f && shape.length >= 2) {
            requireSize(f, shape, "x");
            float[] grad = floatData(gradOut, f.size(), "gradOut");
            return new CpuStorage.F32(new BatchNormKernels(parallel, kernels, shape).backward(f.data(),
                    floatData(moments, 2 * shape[1], "moments"), floatData(weight, shape[1], "weight"), grad,
                    floatData(gradSums, 2 * shape[1], "gradSums"), eps));
        }
        return Backend.super.batchNormBackward(x, shape, moments, weight, gradOut, gradSums, eps);
    }

    @Override
    public Storage batchNormSums(Storage x, int[] shape, Storage moments, Storage gradOut, Storage u) {
        if (cpu(x, "x") instanceof CpuStorage.F32 f && shape.length >= 2) {
            requireSize(f, shape, "x");
            return new CpuStorage.F32(new BatchNormKernels(parallel, kernels, shape).secondOrderSums(f.data(),
                    floatData(moments, 2 * shape[1], "moments"), floatData(gradOut, f.size(), "gradOut"),
                    floatData(u, f.size(), "u")));
        }
        return Backend.super.batchNormSums(x, shape, moments, gradOut, u);
    }

    @Override
    public Storage batchNormCombine(Storage x, int[] shape, Storage gradOut, Storage u, Storage coefficients) {
        if (cpu(x, "x") instanceof CpuStorage.F32 f && shape.length >= 2) {
            requireSize(f, shape, "x");
            return new CpuStorage.F32(new BatchNormKernels(parallel, kernels, shape).combine(f.data(),
                    floatData(gradOut, f.size(), "gradOut"), floatData(u, f.size(), "u"),
                    floatData(coefficients, 5 * shape[1], "coefficients")));
        }
        return Backend.super.batchNormCombine(x, shape, gradOut, u, coefficients);
    }

    @Override
    public Storage channelAffine(Storage x, int[] shape, Storage scale, Storage shift) {
        if (cpu(x, "x") instanceof CpuStorage.F32 f && shape.length >= 2) {
            requireSize(f, shape, "x");
            return new CpuStorage.F32(new BatchNormKernels(parallel, kernels, shape).affine(f.data(),
                    floatData(scale, shape[1], "scale"), shift == null ? null : floatData(shift, shape[1], "shift")));
        }
        return Backend.super.channelAffine(x, shape, scale, shift);
    }

    @Override
    public Storage channelDot(Storage a, Storage b, int[] shape) {
        if (cpu(a, "a") instanceof CpuStorage.F32 f && shape.length >= 2) {
            requireSize(f, shape, "a");
            return new CpuStorage.F32(new BatchNormKernels(parallel, kernels, shape).dot(f.data(),
                    floatData(b, f.size(), "b")));
        }
        return Backend.super.channelDot(a, b, shape);
    }

    /** The float32 data of a fused kernel's operand, checked to hold {@code size} elements. */
    private static float[] floatData(Storage s, int size, String what) {
        if (!(cpu(s, what) instanceof CpuStorage.F32 f) || f.size() != size) {
            throw new IllegalArgumentException(what + " must be float32 with " + size
                    + " elements, got " + s.dtype() + " with " + s.size());
        }
        return f.data();
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
