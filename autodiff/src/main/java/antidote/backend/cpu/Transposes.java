package antidote.backend.cpu;

import java.util.stream.IntStream;

/**
 * Cache-blocked transposes of float32 data, split between threads: the layout changes around the convolutions'
 * GEMMs. A block is read into a local buffer row by row and written out row by row, so that each pass touches one
 * cache line at a time (element by element, the lines in flight in these layouts were a power of two apart and
 * evicted each other; the copies then cost as much as a 1x1 layer's products).
 */
final class Transposes {
    /** Side of a block: one cache line of floats. */
    static final int BLOCK = 16;

    private Transposes() {
    }

    /** Where a run of destination elements starts: batch j, source column k, first row i. */
    @FunctionalInterface
    interface Target {
        int start(int j, int k, int i);
    }

    /** [a, b, c] → [c, b, a]: {@code out[(z·b + y)·a + x] = src[(x·b + y)·c + z]}. */
    static float[] swapOuterAxes(Parallel parallel, float[] src, int a, int b, int c) {
        float[] out = new float[a * b * c];
        blocked(parallel, BLOCK, src, c, b * c, IntStream.range(0, c).toArray(), b, a,
                (y, z, x) -> (z * b + y) * a + x, out);
        return out;
    }

    /**
     * For j < batches, i < rows, k < columns.length: {@code dst[to.start(j, k, i)] = src[j·srcBatch + i·srcLd +
     * columns[k]]}, in blocks of side x side, where {@code to.start(j, k, i + 1)} is {@code to.start(j, k, i) + 1}
     * within each aligned run of {@code side} rows.
     */
    static void blocked(Parallel parallel, int side, float[] src, int srcBatch, int srcLd, int[] columns,
                        int batches, int rows, Target to, float[] dst) {
        int cols = columns.length;
        int rowBlocks = (rows + side - 1) / side;
        int colBlocks = (cols + side - 1) / side;
        parallel.forRange(batches * rowBlocks * colBlocks, (long) side * side, (from, end) -> {
            float[] block = new float[side * side];
            for (int t = from; t < end; t++) {
                int j = t / (rowBlocks * colBlocks);
                int i0 = t / colBlocks % rowBlocks * side;
                int k0 = t % colBlocks * side;
                int height = Math.min(side, rows - i0);
                int width = Math.min(side, cols - k0);
                for (int i = 0; i < height; i++) {
                    for (int k = 0, s = j * srcBatch + (i0 + i) * srcLd; k < width; k++) {
                        block[i * side + k] = src[s + columns[k0 + k]];
                    }
                }
                for (int k = 0; k < width; k++) {
                    for (int i = 0, d = to.start(j, k0 + k, i0); i < height; i++, d++) {
                        dst[d] = block[i * side + k];
                    }
                }
            }
        });
    }
}
