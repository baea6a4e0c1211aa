package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

/**
 * The im2col view of one image [C,H,W] under a convolution window: a [C·KH·KW, OH·OW] matrix whose row
 * (c, kh, kw) holds, for every output position, the input pixel that tap meets (0 in the padding). Rows are
 * built a segment at a time: for a fixed tap and output row, the valid output columns form one interval
 * that reads the input with the stride, so there is no per-element index arithmetic or table.
 * {@link #packPanel} writes it a GEMM micro-panel at a time, {@link #packRowsTransposed} its transpose, and
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
    /**
     * For output rows of at most {@link #NARROW} columns, per tap (kh·KW + kw) and output position, the offset of
     * the pixel it reads within its channel plane, or −1 in the padding; null for wider outputs. On such planes a
     * row of the matrix is a few runs of one to four pixels, and copying them run by run cost a quarter of
     * PreAct-ResNet18's 4x4 convolutions; one lookup per element does not.
     */
    private final int[][] narrowTaps;
    private static final int NARROW = 4;

    Im2col(int[] imageShape, int kernelH, int kernelW, ConvGeometry g) {
        this.channels = imageShape[1];
        this.h = imageShape[2];
        this.w = imageShape[3];
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.outH = g.outH(h, kernelH);
        this.outW = g.outW(w, kernelW);
        this.g = g;
        this.narrowTaps = outW <= NARROW ? tapOffsets() : null;
    }

    private int[][] tapOffsets() {
        int[][] taps = new int[kernelH * kernelW][outH * outW];
        for (int kh = 0; kh < kernelH; kh++) {
            for (int kw = 0; kw < kernelW; kw++) {
                int[] t = taps[kh * kernelW + kw];
                for (int y = 0; y < outH; y++) {
                    for (int x = 0; x < outW; x++) {
                        int ih = y * g.strideH() - g.padH() + kh;
                        int iw = x * g.strideW() - g.padW() + kw;
                        t[y * outW + x] = ih >= 0 && ih < h && iw >= 0 && iw < w ? ih * w + iw : -1;
                    }
                }
            }
        }
        return taps;
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
        int plane = imageOffset + r / (kernelW * kernelH) * h * w;
        if (narrowTaps != null) {
            int[] taps = narrowTaps[r % (kernelW * kernelH)];
            for (int p = 0; p < taps.length; p++) {
                out[outOffset + p] = taps[p] < 0 ? 0f : x[plane + taps[p]];
            }
            return;
        }
        int kw = r % kernelW;
        int kh = r / kernelW % kernelH;
        int first = firstInside(kw, g.padW(), g.strideW());
        int last = Math.min(outW, lastInside(kw, g.padW(), g.strideW(), w));
        for (int y = 0, o = outOffset; y < outH; y++, o += outW) {
            int ih = y * g.strideH() - g.padH() + kh;
            if (ih < 0 || ih >= h || first >= last) {
                zero(out, o, o + outW);
                continue;
            }
            zero(out, o, o + first);
            int src = plane + ih * w + first * g.strideW() - g.padW() + kw;
            if (g.strideW() == 1) {
                System.arraycopy(x, src, out, o + first, last - first);
            } else {
                for (int ox = first; ox < last; ox++, src += g.strideW()) {
                    out[o + ox] = x[src];
                }
            }
            zero(out, o + last, o + outW);
        }
    }

    /**
     * Writes columns [p0, p0 + nr) of the matrix as one GEMM B micro-panel: for each row r, the nr values at
     * {@code r·nr} (zeros past the last column). One panel at a time, so that the panel stays in L1 while the
     * GEMM uses it; each tap's part of an output row is one run of pixels between runs of padding zeros.
     */
    void packPanel(float[] x, int imageOffset, int p0, int nr, float[] panel) {
        int p1 = Math.min(cols(), p0 + nr);
        for (int r = 0; r < rows(); r++) {
            int kw = r % kernelW;
            int kh = r / kernelW % kernelH;
            int plane = imageOffset + r / (kernelW * kernelH) * h * w;
            int first = Math.min(outW, firstInside(kw, g.padW(), g.strideW()));
            int last = Math.max(first, Math.min(outW, lastInside(kw, g.padW(), g.strideW(), w)));
            for (int y = p0 / outW; y * outW < p1; y++) {
                // Output columns [lo, hi) of row y fall in this panel, at dst + ox.
                int lo = Math.max(0, p0 - y * outW);
                int hi = Math.min(outW, p1 - y * outW);
                int dst = r * nr + y * outW - p0;
                int ih = y * g.strideH() - g.padH() + kh;
                if (ih < 0 || ih >= h) {
                    zero(panel, dst + lo, dst + hi);
                    continue;
                }
                int from = Math.min(Math.max(first, lo), hi);
                int to = Math.max(from, Math.min(last, hi));
                zero(panel, dst + lo, dst + from);
                int src = plane + ih * w + from * g.strideW() - g.padW() + kw;
                if (g.strideW() == 1 && to > from) {
                    System.arraycopy(x, src, panel, dst + from, to - from);
                } else if (g.strideW() != 1) {
                    for (int ox = from; ox < to; ox++, src += g.strideW()) {
                        panel[dst + ox] = x[src];
                    }
                }
                zero(panel, dst + to, dst + hi);
            }
            zero(panel, r * nr + p1 - p0, r * nr + nr);
        }
    }

    /**
     * Zeros [from, to): a plain loop, because these runs are 0 to 2 elements long and {@code Arrays.fill}'s
     * range checks cost more than the stores.
     */
    private static void zero(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = 0f;
        }
    }

    /**
     * Writes rows [r0, r0 + nr) of the matrix, transposed, as one GEMM B micro-panel: for each column p the nr
     * row values at {@code p·nr} (zeros for rows past the last). This is the B operand of the filter gradient
     * gradOut·colᵀ, built straight from the image; {@code row} is scratch for one row of {@link #cols} floats.
     */
    void packRowsTransposed(float[] x, int imageOffset, int r0, int nr, float[] panel, float[] row) {
        int cols = cols();
        for (int i = 0; i < nr; i++) {
            if (r0 + i < rows()) {
                row(x, imageOffset, r0 + i, row, 0);
                for (int p = 0, d = i; p < cols; p++, d += nr) {
                    panel[d] = row[p];
                }
            } else {
                for (int p = 0, d = i; p < cols; p++, d += nr) {
                    panel[d] = 0f;
                }
            }
        }
    }

    /** col2im: adds each entry of the [rows, cols] matrix {@code col} onto the pixel it came from. */
    void scatterAdd(float[] col, float[] image, int imageOffset) {
        scatterAdd(col, 0, cols(), image, imageOffset);
    }

    /** {@link #scatterAdd} of the matrix at {@code colOffset} in {@code col} with row stride {@code ld}. */
    void scatterAdd(float[] col, int colOffset, int ld, float[] image, int imageOffset) {
        for (int r = 0; r < rows(); r++) {
            int plane = imageOffset + r / (kernelW * kernelH) * h * w;
            if (narrowTaps != null) {
                int[] taps = narrowTaps[r % (kernelW * kernelH)];
                for (int p = 0, s = colOffset + r * ld; p < taps.length; p++, s++) {
                    if (taps[p] >= 0) {
                        image[plane + taps[p]] += col[s];
                    }
                }
                continue;
            }
            int kw = r % kernelW;
            int kh = r / kernelW % kernelH;
            int first = firstInside(kw, g.padW(), g.strideW());
            int last = Math.min(outW, lastInside(kw, g.padW(), g.strideW(), w));
            for (int y = 0; y < outH; y++) {
                int ih = y * g.strideH() - g.padH() + kh;
                if (ih < 0 || ih >= h) {
                    continue;
                }
                int dst = plane + ih * w + first * g.strideW() - g.padW() + kw;
                for (int ox = first, s = colOffset + r * ld + y * outW + first; ox < last;
                     ox++, s++, dst += g.strideW()) {
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
