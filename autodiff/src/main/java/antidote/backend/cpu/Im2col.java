package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

/**
 * The im2col view of one image [C,H,W] under a convolution window: a [C·KH·KW, OH·OW] matrix whose row
 * (c, kh, kw) holds, for every output position, the input pixel that tap meets (0 in the padding). Rows are
 * built a segment at a time: for a fixed tap and output row, the valid output columns form one interval
 * that reads the input with the stride, so there is no per-element index arithmetic or table.
 * {@link #gather} writes the plain matrix, {@link #packColumns} writes it as GEMM micro-panels, and
 * {@link #scatterAdd} (col2im) folds a matrix back onto the image.
 */
final class Im2col {
    private final int channels;
    private final int h;
    private final int w;
    private final int kernelH;
    private final int kernelW;
    private final int outH;
    private final int outW;
    private final ConvGeometry g;

    Im2col(int[] imageShape, int kernelH, int kernelW, ConvGeometry g) {
        this.channels = imageShape[1];
        this.h = imageShape[2];
        this.w = imageShape[3];
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.outH = g.outH(h, kernelH);
        this.outW = g.outW(w, kernelW);
        this.g = g;
    }

    /** C·KH·KW. */
    int rows() {
        return channels * kernelH * kernelW;
    }

    /** OH·OW. */
    int cols() {
        return outH * outW;
    }

    /** Writes row {@code r} of the matrix of the image at {@code imageOffset} into {@code out[outOffset...]}. */
    void row(float[] x, int imageOffset, int r, float[] out, int outOffset) {
        int kw = r % kernelW;
        int kh = r / kernelW % kernelH;
        int plane = imageOffset + r / (kernelW * kernelH) * h * w;
        int first = firstInside(kw, g.padW(), g.strideW());
        int last = Math.min(outW, lastInside(kw, g.padW(), g.strideW(), w));
        for (int y = 0, o = outOffset; y < outH; y++, o += outW) {
            int ih = y * g.strideH() - g.padH() + kh;
            if (ih < 0 || ih >= h || first >= last) {
                java.util.Arrays.fill(out, o, o + outW, 0f);
                continue;
            }
            java.util.Arrays.fill(out, o, o + first, 0f);
            int src = plane + ih * w + first * g.strideW() - g.padW() + kw;
            if (g.strideW() == 1) {
                System.arraycopy(x, src, out, o + first, last - first);
            } else {
                for (int ox = first; ox < last; ox++, src += g.strideW()) {
                    out[o + ox] = x[src];
                }
            }
            java.util.Arrays.fill(out, o + last, o + outW, 0f);
        }
    }

    /** Writes the [rows, cols] matrix of the image at {@code imageOffset} into {@code col}. */
    void gather(float[] x, int imageOffset, float[] col) {
        int cols = cols();
        for (int r = 0; r < rows(); r++) {
            row(x, imageOffset, r, col, r * cols);
        }
    }

    /**
     * Writes the matrix as GEMM B micro-panels of {@code nr} columns: panel j holds, for each row r, columns
     * [j·nr, j·nr + nr) (zeros past the last column), at {@code (j·rows + r)·nr}. Each output row of a tap is
     * written straight into the panels it falls in, so there is no intermediate matrix.
     */
    void packColumns(float[] x, int imageOffset, float[] panels, int nr) {
        int rows = rows();
        int cols = cols();
        int panelStride = rows * nr;
        int tail = cols % nr;
        for (int r = 0; r < rows; r++) {
            int kw = r % kernelW;
            int kh = r / kernelW % kernelH;
            int plane = imageOffset + r / (kernelW * kernelH) * h * w;
            int first = Math.min(outW, firstInside(kw, g.padW(), g.strideW()));
            int last = Math.max(first, Math.min(outW, lastInside(kw, g.padW(), g.strideW(), w)));
            for (int y = 0; y < outH; y++) {
                int ih = y * g.strideH() - g.padH() + kh;
                boolean rowInside = ih >= 0 && ih < h;
                int src = plane + ih * w + first * g.strideW() - g.padW() + kw;
                // Walk the output row in runs that stay inside one panel: zeros left of the image, the
                // pixels, zeros right of it.
                for (int ox = 0; ox < outW; ) {
                    int p = y * outW + ox;
                    int lane = p % nr;
                    int end = ox + Math.min(outW - ox, nr - lane);
                    int dst = p / nr * panelStride + r * nr + lane - ox;
                    int lo = rowInside ? Math.min(Math.max(ox, first), end) : end;
                    int hi = rowInside ? Math.max(lo, Math.min(end, last)) : end;
                    for (int i = ox; i < lo; i++) {
                        panels[dst + i] = 0f;
                    }
                    if (g.strideW() == 1 && hi > lo) {
                        System.arraycopy(x, src + lo - first, panels, dst + lo, hi - lo);
                    } else if (g.strideW() != 1) {
                        for (int i = lo, at = src + (lo - first) * g.strideW(); i < hi; i++, at += g.strideW()) {
                            panels[dst + i] = x[at];
                        }
                    }
                    for (int i = hi; i < end; i++) {
                        panels[dst + i] = 0f;
                    }
                    ox = end;
                }
            }
            if (tail != 0) {
                int dst = cols / nr * panelStride + r * nr;
                java.util.Arrays.fill(panels, dst + tail, dst + nr, 0f);
            }
        }
    }

    /** col2im: adds each entry of the [rows, cols] matrix {@code col} onto the pixel it came from. */
    void scatterAdd(float[] col, float[] image, int imageOffset) {
        int cols = cols();
        for (int r = 0; r < rows(); r++) {
            int kw = r % kernelW;
            int kh = r / kernelW % kernelH;
            int plane = imageOffset + r / (kernelW * kernelH) * h * w;
            int first = firstInside(kw, g.padW(), g.strideW());
            int last = Math.min(outW, lastInside(kw, g.padW(), g.strideW(), w));
            for (int y = 0; y < outH; y++) {
                int ih = y * g.strideH() - g.padH() + kh;
                if (ih < 0 || ih >= h) {
                    continue;
                }
                int dst = plane + ih * w + first * g.strideW() - g.padW() + kw;
                for (int ox = first, s = r * cols + y * outW + first; ox < last; ox++, s++, dst += g.strideW()) {
                    image[dst] += col[s];
                }
            }
        }
    }

    /** The first output column whose tap kw lands inside the image: ox·stride − pad + kw ≥ 0. */
    private static int firstInside(int k, int pad, int stride) {
        return Math.max(0, (pad - k + stride - 1) / stride);
    }

    /** One past the last output column whose tap lands inside: ox·stride − pad + k ≤ size − 1. */
    private static int lastInside(int k, int pad, int stride, int size) {
        int span = size - 1 + pad - k;
        return span < 0 ? 0 : span / stride + 1;
    }
}
