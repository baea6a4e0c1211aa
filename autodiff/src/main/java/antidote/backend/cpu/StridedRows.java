package antidote.backend.cpu;

/**
 * Walks the rows of a row-major shape (every dimension but the last) in order and keeps, for each operand,
 * the offset where that row starts; an operand is a strided view with one stride per dimension of the shape.
 * Kernels then run a tight loop along the last dimension with {@link #step}.
 */
final class StridedRows {
    private final int[] shape;
    private final int[] bases;
    private final int[][] strides;
    private final int[] index;
    private final int[] offsets;

    /** A body run once per row of a {@link Layout.Nest}, with the row's offsets and steps in {@code rows}. */
    @FunctionalInterface
    interface Body {
        void run(StridedRows rows, int length);
    }

    StridedRows(int[] shape, int[] bases, int[]... strides) {
        this.shape = shape;
        this.bases = bases;
        this.strides = strides;
        this.index = new int[Math.max(shape.length - 1, 0)];
        this.offsets = bases.clone();
    }

    /** Rows in {@code shape}: 1 for rank 0 and 1. */
    static int rowCount(int[] shape) {
        int n = 1;
        for (int a = 0; a < shape.length - 1; a++) {
            n *= shape[a];
        }
        return n;
    }

    /** Elements per row: the last dimension, 1 for rank 0. */
    static int rowLength(int[] shape) {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /** Moves to row {@code row}. */
    void seek(int row) {
        for (int a = index.length - 1; a >= 0; a--) {
            index[a] = row % shape[a];
            row /= shape[a];
        }
        for (int p = 0; p < offsets.length; p++) {
            int off = bases[p];
            for (int a = 0; a < index.length; a++) {
                off += index[a] * strides[p][a];
            }
            offsets[p] = off;
        }
    }

    /** Moves to the next row. */
    void next() {
        for (int a = index.length - 1; a >= 0; a--) {
            boolean carry = ++index[a] == shape[a];
            for (int p = 0; p < offsets.length; p++) {
                offsets[p] += carry ? (1 - shape[a]) * strides[p][a] : strides[p][a];
            }
            if (!carry) {
                return;
            }
            index[a] = 0;
        }
    }

    /** Where the current row of operand {@code p} starts. */
    int offset(int p) {
        return offsets[p];
    }

    /** Operand {@code p}'s stride along a row. */
    int step(int p) {
        return shape.length == 0 ? 0 : strides[p][shape.length - 1];
    }

    /**
     * Runs {@code body} over the rows of {@code whole} (all dimensions but the last), split between the threads of
     * {@code parallel}; a nest with fewer rows than threads has its rows cut into pieces first.
     */
    static void forEach(Parallel parallel, Layout.Nest whole, long costPerElement, Body body) {
        Layout.Nest nest = whole.withRowsAtLeast(parallel.threads());
        int[] shape = nest.shape();
        int length = rowLength(shape);
        parallel.forRange(rowCount(shape), costPerElement * length, (from, to) -> {
            StridedRows rows = new StridedRows(shape, new int[nest.strides().length], nest.strides());
            rows.seek(from);
            for (int r = from; r < to; r++, rows.next()) {
                body.run(rows, length);
            }
        });
    }
}
