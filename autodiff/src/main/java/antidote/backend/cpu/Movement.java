package antidote.backend.cpu;

import antidote.backend.Storage;
import antidote.backend.Strides;

import java.util.List;

import static antidote.backend.cpu.Checks.cpu;
import static antidote.backend.cpu.Checks.requireConcat;
import static antidote.backend.cpu.Checks.requireIndices;
import static antidote.backend.cpu.Checks.requireOneIndexPerElement;
import static antidote.backend.cpu.Checks.requireSize;
import static antidote.backend.cpu.Checks.requireWithin;
import static antidote.backend.cpu.Checks.sameDtype;
import static antidote.backend.cpu.Layout.size;

/**
 * The movement kernels (permute, expand, slice, pad, concat, take, scatterAdd): strided copies split by output
 * row, and index gathers and scatters split by output element.
 */
final class Movement {
    private final Parallel parallel;

    Movement(Parallel parallel) {
        this.parallel = parallel;
    }

    /** x transposed: output dimension a is input dimension perm[a]. */
    CpuStorage permute(CpuStorage s, int[] shape, int[] perm) {
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

    /** x broadcast to {@code outShape}. */
    CpuStorage expand(CpuStorage s, int[] shape, int[] outShape) {
        requireSize(s, shape, "x");
        return gather(s, 0, Strides.broadcast(shape, outShape), outShape);
    }

    /** The block of {@code outShape} at {@code start}. */
    CpuStorage slice(CpuStorage s, int[] shape, int[] start, int[] outShape) {
        requireSize(s, shape, "x");
        requireWithin("slice", outShape, start, shape);
        int[] strides = Strides.contiguous(shape);
        int base = 0;
        for (int a = 0; a < shape.length; a++) {
            base += start[a] * strides[a];
        }
        return gather(s, base, strides, outShape);
    }

    /** x placed at {@code before} in an {@code outShape} buffer filled with {@code value}. */
    CpuStorage pad(CpuStorage s, int[] shape, int[] before, int[] outShape, double value) {
        requireSize(s, shape, "x");
        CpuStorage out = CpuStorage.full(s.dtype(), size(outShape), value);
        place(s, shape, out, outShape, before);
        return out;
    }

    /** The parts joined along {@code axis}. */
    CpuStorage concat(List<Storage> xs, List<int[]> shapes, int axis, int[] outShape) {
        requireConcat(shapes, axis, outShape);
        CpuStorage first = cpu(xs.get(0), "xs[0]");
        CpuStorage out = first.allocate(size(outShape));
        int[] before = new int[outShape.length];
        for (int p = 0; p < xs.size(); p++) {
            CpuStorage part = sameDtype(first, cpu(xs.get(p), "xs[" + p + "]"), "xs[" + p + "]");
            requireSize(part, shapes.get(p), "xs[" + p + "]");
            place(part, shapes.get(p), out, outShape, before);
            before[axis] += shapes.get(p)[axis];
        }
        return out;
    }

    /** out[i] = x[index[i]]. */
    CpuStorage take(CpuStorage s, int[] index) {
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

    /** out[index[i]] += src[i] over a zero buffer of {@code outSize}. */
    CpuStorage scatterAdd(CpuStorage s, int[] index, int outSize) {
        requireOneIndexPerElement(index, s.size(), "scatterAdd");
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
        StridedRows.forEach(parallel, nest, 1, (rows, length) -> x.copyTo(base + rows.offset(0), rows.step(0), out,
                rows.offset(1), 1, length));
        return out;
    }

    /** Copies all of x (of shape) into out (of outShape) at offset {@code before}; pad and concat share it. */
    private void place(CpuStorage x, int[] shape, CpuStorage out, int[] outShape, int[] before) {
        requireWithin("placing", shape, before, outShape);
        int[] outStrides = Strides.contiguous(outShape);
        int base = 0;
        for (int a = 0; a < shape.length; a++) {
            base += before[a] * outStrides[a];
        }
        int start = base;
        if (x.size() == 0) {
            return;
        }
        Layout.Nest nest = Layout.Nest.of(shape, Strides.contiguous(shape), outStrides);
        StridedRows.forEach(parallel, nest, 1, (rows, length) -> x.copyTo(rows.offset(0), rows.step(0), out,
                start + rows.offset(1), rows.step(1), length));
    }
}
