package antidote.backend.cpu;

import antidote.backend.Strides;

import java.util.Arrays;

import static antidote.backend.cpu.Checks.requireAxes;
import static antidote.backend.cpu.Checks.requireSize;
import static antidote.backend.cpu.Layout.size;

/**
 * The reductions (sum, argMax, log-softmax), split by output element: each output adds its terms in one fixed
 * order on one thread, so neither the thread count nor the scheduling changes a result.
 */
final class Reductions {
    private final Parallel parallel;
    private final Kernels kernels;

    Reductions(Parallel parallel, Kernels kernels) {
        this.parallel = parallel;
        this.kernels = kernels;
    }

    /** Σ x over the dimensions flagged in {@code axes}, kept as size 1. */
    CpuStorage sum(CpuStorage s, int[] shape, boolean[] axes) {
        requireSize(s, shape, "x");
        requireAxes(shape, axes);
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
     * contiguous runs ({@link Kernels#sum}, or {@link #runSum} for strided ones); when it is kept, a row of outputs
     * accumulates whole input rows. Either way an output's terms are added in a fixed order that no thread count changes.
     */
    private float[] sum(float[] x, int[] shape, boolean[] axes) {
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

    /** The flat index of each maximum over {@code axes}: the first maximum wins, and a NaN wins over numbers. */
    int[] argMax(CpuStorage s, int[] shape, boolean[] axes) {
        requireSize(s, shape, "x");
        requireAxes(shape, axes);
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

    /** log-softmax along the middle dimension of [outer, n, inner]. */
    CpuStorage logSoftmax(CpuStorage s, int outer, int n, int inner) {
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
}
