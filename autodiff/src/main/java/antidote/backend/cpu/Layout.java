package antidote.backend.cpu;

import java.util.Arrays;

/** Row-major shape arithmetic shared by the CPU kernels. */
final class Layout {
    private Layout() {
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** For every multi-index of {@code dims} in row-major order, the offset {@code Σ index[a]·strides[a]}. */
    static int[] offsets(int[] dims, int[] strides) {
        int[] out = new int[size(dims)];
        int[] index = new int[dims.length];
        int offset = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = offset;
            for (int a = dims.length - 1; a >= 0; a--) {
                offset += strides[a];
                if (++index[a] < dims[a]) {
                    break;
                }
                offset -= index[a] * strides[a];
                index[a] = 0;
            }
        }
        return out;
    }

    /**
     * A loop nest over {@code shape} for several strided operands, with size-1 dimensions dropped and adjacent
     * dimensions merged wherever every operand steps through them as one (outer stride = inner stride × inner
     * size). [N,C,H,W] against a [1,C,1,1] channel vector becomes [N, C, H·W], so the inner loop runs over
     * whole planes. Always at least one dimension.
     */
    record Nest(int[] shape, int[][] strides) {
        static Nest of(int[] shape, int[]... strides) {
            int[] dims = new int[Math.max(1, shape.length)];
            int[][] merged = new int[strides.length][dims.length];
            int rank = 0;
            for (int a = shape.length - 1; a >= 0; a--) {
                if (shape[a] == 1) {
                    continue;
                }
                boolean joins = rank > 0;
                for (int p = 0; p < strides.length && joins; p++) {
                    joins = strides[p][a] == merged[p][rank - 1] * dims[rank - 1];
                }
                if (joins) {
                    dims[rank - 1] *= shape[a];
                    continue;
                }
                dims[rank] = shape[a];
                for (int p = 0; p < strides.length; p++) {
                    merged[p][rank] = strides[p][a];
                }
                rank++;
            }
            if (rank == 0) {
                dims[0] = 1;
                rank = 1;
            }
            // Built innermost first; reverse into row-major order.
            int[] outShape = new int[rank];
            int[][] outStrides = new int[strides.length][rank];
            for (int a = 0; a < rank; a++) {
                outShape[a] = dims[rank - 1 - a];
                for (int p = 0; p < strides.length; p++) {
                    outStrides[p][a] = merged[p][rank - 1 - a];
                }
            }
            return new Nest(outShape, outStrides);
        }

        /**
         * The same loop with its last dimension cut into equal pieces when the nest has fewer than
         * {@code rows} rows, so a fully merged nest (one long row) can still be split between threads. A
         * length with no divisor in the range tried is left whole.
         */
        Nest withRowsAtLeast(int rows) {
            int rowCount = StridedRows.rowCount(shape);
            int length = StridedRows.rowLength(shape);
            int needed = (rows + rowCount - 1) / rowCount;
            if (needed <= 1) {
                return this;
            }
            for (int pieces = needed; pieces <= 4 * needed && pieces < length; pieces++) {
                if (length % pieces == 0) {
                    return splitLast(pieces);
                }
            }
            return this;
        }

        private Nest splitLast(int pieces) {
            int rank = shape.length;
            int[] outShape = Arrays.copyOf(shape, rank + 1);
            outShape[rank - 1] = pieces;
            outShape[rank] = shape[rank - 1] / pieces;
            int[][] outStrides = new int[strides.length][];
            for (int p = 0; p < strides.length; p++) {
                outStrides[p] = Arrays.copyOf(strides[p], rank + 1);
                outStrides[p][rank] = strides[p][rank - 1];
                outStrides[p][rank - 1] = strides[p][rank - 1] * outShape[rank];
            }
            return new Nest(outShape, outStrides);
        }
    }
}
