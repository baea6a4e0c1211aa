package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

import java.util.Arrays;

/**
 * Float32 convolution kernels for layers whose output planes are small (PreAct-ResNet18's last stage: 4x4),
 * as one GEMM per group of images instead of one per image. Per image such a layer's forward product has only
 * OH·OW = 16 columns and its filter-gradient product a depth of 16, too thin for the GEMM micro-kernel (39 to
 * 86 GFLOP/s against 180 for the same layer at 8x8, measured on 2 threads). A group's im2col matrices sit side
 * by side as one [C·KH·KW, G·OH·OW] matrix, with gradOut's planes gathered the same way, so each product is
 * {@link #GROUP_COLUMNS} wide. Every output element is still summed over k in the order {@link Gemm} fixes.
 */
final class GroupedConv {
    /** Output planes of at most this many positions take this path; 8x8 (64) measured as fast per image. */
    static final int MAX_POSITIONS = 16;
    /** Columns of one group's product: enough for full-speed micro-panels, small enough to stay in L2. */
    private static final int GROUP_COLUMNS = 256;

    private final Im2col im2col;
    private final int filters;
    private final int imageSize;
    private final int positions;
    private final int group;

    GroupedConv(int[] xShape, int[] wShape, ConvGeometry geometry) {
        this.im2col = new Im2col(xShape, wShape[2], wShape[3], geometry);
        this.filters = wShape[0];
        this.imageSize = xShape[1] * xShape[2] * xShape[3];
        this.positions = im2col.cols();
        this.group = Math.max(1, GROUP_COLUMNS / positions);
    }

    /** Whether a layer with these output planes should take this path. */
    static boolean suits(int outH, int outW) {
        return outH * outW <= MAX_POSITIONS;
    }

    /** W [F, C·KH·KW] packed whole for {@link #forward}: once per call, shared by every thread and group. */
    float[] packFilter(float[] w, Gemm gemm) {
        return gemm.packWhole(Gemm.Matrix.of(w, 0, im2col.rows()), filters, im2col.rows());
    }

    /** Wᵀ [C·KH·KW, F] packed whole for {@link #addInputGradient}. */
    float[] packFilterTransposed(float[] w, Gemm gemm) {
        return gemm.packWhole(Gemm.Matrix.transposeOf(w, 0, im2col.rows()), im2col.rows(), filters);
    }

    /**
     * out[n] = W·col(x[n]) (+ bias per filter) for images [from, to); out is [N, F, OH·OW], {@code packedW}
     * from {@link #packFilter}.
     */
    void forward(float[] x, float[] packedW, float[] bias, float[] out, int from, int to, Workspace ws) {
        int rows = im2col.rows();
        for (int g0 = from; g0 < to; g0 += group) {
            int images = Math.min(group, to - g0);
            int width = images * positions;
            float[] col = columns(x, g0, images, ws);
            float[] product = ws.product(filters * width);
            Arrays.fill(product, 0, filters * width, 0f);
            ws.gemm.multiplyAddPackedA(filters, width, rows, packedW, Gemm.Matrix.of(col, 0, width), product, 0,
                    width);
            for (int i = 0; i < images; i++) {
                for (int f = 0; f < filters; f++) {
                    int dst = ((g0 + i) * filters + f) * positions;
                    System.arraycopy(product, f * width + i * positions, out, dst, positions);
                    if (bias != null) {
                        for (int p = 0; p < positions; p++) {
                            out[dst + p] += bias[f];
                        }
                    }
                }
            }
        }
    }

    /** partial[F, C·KH·KW] += Σ_n gradOut[n]·col(x[n])ᵀ over images [from, to). */
    void addFilterGradient(float[] x, float[] gradOut, float[] partial, int from, int to, Workspace ws) {
        int rows = im2col.rows();
        for (int g0 = from; g0 < to; g0 += group) {
            int images = Math.min(group, to - g0);
            int width = images * positions;
            float[] col = columns(x, g0, images, ws);
            float[] grad = gatherGradient(gradOut, g0, images, ws);
            ws.gemm.multiplyAdd(filters, rows, width, Gemm.Matrix.of(grad, 0, width),
                    Gemm.Matrix.transposeOf(col, 0, width), partial, 0, rows);
        }
    }

    /**
     * out[n] += col2im(Wᵀ·gradOut[n]) for images [from, to); out is [N, C, H, W], {@code packedWt} from
     * {@link #packFilterTransposed}.
     */
    void addInputGradient(float[] gradOut, float[] packedWt, float[] out, int from, int to, Workspace ws) {
        int rows = im2col.rows();
        for (int g0 = from; g0 < to; g0 += group) {
            int images = Math.min(group, to - g0);
            int width = images * positions;
            float[] grad = gatherGradient(gradOut, g0, images, ws);
            float[] col = ws.panel(rows * width);
            Arrays.fill(col, 0, rows * width, 0f);
            ws.gemm.multiplyAddPackedA(rows, width, filters, packedWt, Gemm.Matrix.of(grad, 0, width), col, 0, width);
            for (int i = 0; i < images; i++) {
                im2col.scatterAdd(col, i * positions, width, out, (g0 + i) * imageSize);
            }
        }
    }

    /** The im2col matrices of images [g0, g0 + images) side by side, in the workspace's panel buffer. */
    private float[] columns(float[] x, int g0, int images, Workspace ws) {
        int rows = im2col.rows();
        int width = images * positions;
        float[] col = ws.panel(rows * width);
        for (int i = 0; i < images; i++) {
            for (int r = 0; r < rows; r++) {
                im2col.row(x, (g0 + i) * imageSize, r, col, r * width + i * positions);
            }
        }
        return col;
    }

    /** gradOut's [F, OH·OW] planes of images [g0, g0 + images) side by side: [F, images·OH·OW]. */
    private float[] gatherGradient(float[] gradOut, int g0, int images, Workspace ws) {
        int width = images * positions;
        float[] grad = ws.product(filters * width);
        for (int i = 0; i < images; i++) {
            for (int f = 0; f < filters; f++) {
                System.arraycopy(gradOut, ((g0 + i) * filters + f) * positions, grad, f * width + i * positions,
                        positions);
            }
        }
        return grad;
    }
}
