package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

import java.util.Arrays;

/**
 * Float32 3x3 convolution with stride 1 and padding 1 by Winograd's minimal filtering F(4x4, 3x3) (Lavin and
 * Gray, "Fast Algorithms for Convolutional Neural Networks", 2016). Each 4x4 block of outputs (a tile) comes
 * from the 6x6 block of input around it: input and filter are taken into a 6x6 transformed space, multiplied
 * element by element and summed over channels there, and the sum is taken back. Summed over channels, the 36
 * points of the transformed space are 36 matrix products [F, C]·[C, tiles]: 36 multiplications per tile and
 * channel where the direct convolution needs 144, four times fewer (less on planes that are not a multiple of 4
 * wide, whose last tiles reach past the edge).
 * <p>
 * The tiles are cut into chunks of whole tile rows (a chunk may span images); a chunk's transformed input and
 * its 36 products stay in L2 while it goes through transform, product and inverse transform. Chunks do not
 * depend on the thread count and each is computed by one thread, so the bits do not either. The transforms are
 * {@link Kernels#winogradInput} and {@link Kernels#winogradOutput}.
 */
final class WinogradConv {
    /** Layers with fewer channels or filters than this stay on the direct path (the products are too thin). */
    static final int MIN_CHANNELS = 16;
    /** Output rows and columns per tile, and input rows and columns per tile. */
    static final int TILE = 4;
    static final int BLOCK = TILE + 2;
    /** Points of the transformed space. */
    static final int POINTS = BLOCK * BLOCK;
    /**
     * Floats of one chunk's transformed input and products together (192 KiB, a fifth of Zen 4's L2, which also
     * holds the packed filters): of 48, 128 and 320 Ki, 320 was clearly slower and 48 a little faster than 128 on
     * the I-BAU iteration.
     */
    private static final int CHUNK_FLOATS = 48 * 1024;
    private static final double SIXTH = 1.0 / 6;
    private static final double SIXTH_NEGATIVE = -1.0 / 6;
    private static final double TWELFTH = 1.0 / 12;
    private static final double TWENTY_FOURTH = 1.0 / 24;
    /** Floats in a cache line. */
    private static final int LINE = 16;

    private final Parallel parallel;
    private final Kernels kernels;
    private final ThreadLocal<Workspace> workspaces;
    private final int images;
    private final int channels;
    private final int filters;
    private final int height;
    private final int width;
    private final int tileRows;
    private final int tileCols;
    /** Tile rows per chunk, and the columns of a chunk's products (its tiles) rounded up to whole GEMM panels. */
    private final int rowsPerChunk;
    private final int columns;
    /**
     * Floats from one point's transformed input (or products) to the next'. The transforms touch all 36 points of
     * a column at once; one cache line more than the points' size keeps those streams off a single L1 set when the
     * size is a multiple of 4 KiB (for 64 channels the input transform of F(2x2, 3x3) ran 5x slower without it).
     */
    private final int inputStride;
    private final int productStride;

    /** Whether this path computes the convolution of a float32 input [N, C, H, W] with a filter [F, C, KH, KW]. */
    static boolean suits(int[] xShape, int[] wShape, ConvGeometry g) {
        return wShape[2] == 3 && wShape[3] == 3 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 1
                && g.padW() == 1 && xShape[1] >= MIN_CHANNELS && wShape[0] >= MIN_CHANNELS;
    }

    WinogradConv(int[] xShape, int[] wShape, Parallel parallel, Kernels kernels, ThreadLocal<Workspace> workspaces) {
        this.parallel = parallel;
        this.kernels = kernels;
        this.workspaces = workspaces;
        this.images = xShape[0];
        this.channels = xShape[1];
        this.height = xShape[2];
        this.width = xShape[3];
        this.filters = wShape[0];
        this.tileRows = (height + TILE - 1) / TILE;
        this.tileCols = (width + TILE - 1) / TILE;
        int nr = kernels.nr();
        int tilesPerChunk = Math.max(nr, CHUNK_FLOATS / (POINTS * (channels + filters)));
        this.rowsPerChunk = Math.max(1, tilesPerChunk / tileCols);
        this.columns = (rowsPerChunk * tileCols + nr - 1) / nr * nr;
        this.inputStride = channels * columns + LINE;
        this.productStride = filters * columns + LINE;
    }

    /** out[n, f] = bias[f] (null for none) + Σ_c x[n, c] ⋆ w[f, c]. */
    float[] forward(float[] x, float[] w, float[] bias) {
        Workspace callerSpace = workspaces.get();
        // a cache line between the points' operands, as between the transformed inputs
        int filterStride = callerSpace.gemm.packedSize(filters, channels) + LINE;
        float[] packedFilter = transformFilter(w, callerSpace.operand(POINTS * filterStride), filterStride,
                callerSpace.gemm.mr());
        float[] out = new float[images * filters * height * width];
        int allRows = images * tileRows;
        int chunks = (allRows + rowsPerChunk - 1) / rowsPerChunk;
        long costPerChunk = (long) rowsPerChunk * tileCols * POINTS * channels * filters;
        parallel.forRange(chunks, costPerChunk, (from, to) -> {
            Workspace ws = workspaces.get();
            float[] input = ws.panel(POINTS * inputStride);
            float[] products = ws.product(POINTS * productStride);
            float[] scratch = ws.image(POINTS * columns);
            for (int chunk = from; chunk < to; chunk++) {
                int first = chunk * rowsPerChunk;
                int count = Math.min(rowsPerChunk, allRows - first);
                transformInput(x, first, count, input, scratch, ws.gemm.nr());
                for (int point = 0; point < POINTS; point++) {
                    ws.gemm.multiplyPacked(filters, count * tileCols, channels, packedFilter, point * filterStride,
                            input, point * inputStride, products, point * productStride, columns);
                }
                transformOutput(products, first, count, bias, out, scratch);
            }
        });
        return out;
    }

    /**
     * U = G·g·Gᵀ per filter and channel, written straight into the A operands of the 36 products: point p's
     * [F, C] matrix packed as {@link Gemm#packWhole} packs it, from {@code p·stride} on. G = [[¼, 0, 0],
     * [−⅙, −⅙, −⅙], [−⅙, ⅙, −⅙], [1/24, 1/12, ⅙], [1/24, −1/12, ⅙], [0, 0, 1]]. Computed in float64, rounded once.
     * {@code packed} is the calling thread's operand buffer, which only this call's workers read. Filters are
     * split between threads (on the calling thread alone, this was 1% of the mixed product's samples while the
     * other core waited).
     */
    private float[] transformFilter(float[] w, float[] packed, int stride, int mr) {
        if (filters % mr != 0) {
            // the rows of the last panel past the last filter must be zeros
            Arrays.fill(packed, 0, POINTS * stride, 0f);
        }
        parallel.forRange(filters, (long) channels * POINTS * 8, (from, to) -> {
            double[] t = new double[BLOCK * 3];
            double[] row = new double[BLOCK];
            for (int f = from; f < to; f++) {
                for (int c = 0; c < channels; c++) {
                    int g = (f * channels + c) * 9;
                    for (int j = 0; j < 3; j++) {
                        applyG(w[g + j], w[g + 3 + j], w[g + 6 + j], t, j, 3);
                    }
                    int at = f / mr * channels * mr + c * mr + f % mr;
                    for (int i = 0; i < BLOCK; i++) {
                        applyG(t[3 * i], t[3 * i + 1], t[3 * i + 2], row, 0, 1);
                        for (int j = 0; j < BLOCK; j++) {
                            packed[(BLOCK * i + j) * stride + at] = (float) row[j];
                        }
                    }
                }
            }
        });
        return packed;
    }

    /** G·(g0, g1, g2) into {@code out[at + i·stride]}. */
    private static void applyG(double g0, double g1, double g2, double[] out, int at, int stride) {
        double outer = g0 + g2;
        out[at] = g0 * 0.25;
        out[at + stride] = (outer + g1) * SIXTH_NEGATIVE;
        out[at + 2 * stride] = (outer - g1) * SIXTH_NEGATIVE;
        out[at + 3 * stride] = g0 * TWENTY_FOURTH + g1 * TWELFTH + g2 * SIXTH;
        out[at + 4 * stride] = g0 * TWENTY_FOURTH - g1 * TWELFTH + g2 * SIXTH;
        out[at + 5 * stride] = g2;
    }

    /**
     * The transformed input of every tile of {@code count} tile rows from global tile row {@code first} and every
     * channel, written as the B operand of the 36 products: point-major, then GEMM micro-panels of {@code nr}
     * columns by all channels. Each channel's 6x6 blocks are first gathered into 36 rows over the chunk's columns
     * ({@code d}), so that the arithmetic runs along contiguous rows.
     */
    private void transformInput(float[] x, int first, int count, float[] v, float[] d, int nr) {
        float[] row = new float[TILE * tileCols + 2];
        // What no channel writes (rows outside the image, columns past the last tile) stays zero for all of them.
        Arrays.fill(d, 0, POINTS * columns, 0f);
        for (int c = 0; c < channels; c++) {
            gather(x, first, count, c, d, row);
            for (int q0 = 0; q0 < columns; q0 += nr) {
                kernels.winogradInput(d, q0, columns, v, q0 * channels + c * nr, inputStride, nr);
            }
        }
    }

    /**
     * d[6j + t][q] = x[n, c, 4·ty − 1 + j, 4·tx − 1 + t] for column q's tile (ty, tx); zero outside the image and
     * in the columns past the chunk's last tile. Each input row is copied first into {@code row}, between zeros
     * (column −1 and the columns past the edge), so that every tile reads its six taps without a test.
     */
    private void gather(float[] x, int first, int count, int c, float[] d, float[] row) {
        for (int r = 0; r < count; r++) {
            int n = (first + r) / tileRows;
            int top = TILE * ((first + r) % tileRows) - 1;
            int plane = (n * channels + c) * height * width;
            int q0 = r * tileCols;
            for (int j = 0; j < BLOCK; j++) {
                int y = top + j;
                if (y < 0 || y >= height) {
                    continue;
                }
                System.arraycopy(x, plane + y * width, row, 1, width);
                for (int tx = 0, at = 0, dj = BLOCK * j * columns + q0; tx < tileCols; tx++, at += TILE, dj++) {
                    d[dj] = row[at];
                    d[dj + columns] = row[at + 1];
                    d[dj + 2 * columns] = row[at + 2];
                    d[dj + 3 * columns] = row[at + 3];
                    d[dj + 4 * columns] = row[at + 4];
                    d[dj + 5 * columns] = row[at + 5];
                }
            }
        }
    }

    /** The 4x4 outputs of each tile and filter, plus the bias, into the output (m is overwritten). */
    private void transformOutput(float[] m, int first, int count, float[] bias, float[] out, float[] y) {
        for (int f = 0; f < filters; f++) {
            kernels.winogradOutput(m, f * columns, productStride, y, 0, columns, columns);
            float b = bias == null ? 0f : bias[f];
            for (int r = 0; r < count; r++) {
                int n = (first + r) / tileRows;
                int top = TILE * ((first + r) % tileRows);
                int plane = (n * filters + f) * height * width;
                int rows = Math.min(TILE, height - top);
                for (int tx = 0, q = r * tileCols; tx < tileCols; tx++, q++) {
                    int left = TILE * tx;
                    int at = plane + top * width + left;
                    if (rows == TILE && left + TILE <= width) {
                        for (int i = 0; i < TILE; i++, at += width) {
                            int yi = TILE * i * columns + q;
                            out[at] = b + y[yi];
                            out[at + 1] = b + y[yi + columns];
                            out[at + 2] = b + y[yi + 2 * columns];
                            out[at + 3] = b + y[yi + 3 * columns];
                        }
                        continue;
                    }
                    int cols = Math.min(TILE, width - left);
                    for (int i = 0; i < rows; i++, at += width) {
                        for (int j = 0; j < cols; j++) {
                            out[at + j] = b + y[(TILE * i + j) * columns + q];
                        }
                    }
                }
            }
        }
    }
}
