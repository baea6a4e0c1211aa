package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

/**
 * Stride-1 float32 convolution without an im2col matrix: per image, the GEMM out[n]ᵀ [OH·OW, F] =
 * col(x[n])ᵀ·Wᵀ with output positions on the broadcast (A) side and filters on the vector (B) side. The image
 * is first copied into a zero-padded buffer, where the im2col entry of tap r = (c, kh, kw) at output (y, ox)
 * is {@code padded[tap[r] + y·Wp + ox]}; an A micro-panel of mr consecutive outputs of one row is then mr
 * contiguous floats per tap, copied without any bounds logic (im2col's edge handling cost 15-23% of a
 * SmallVgg step). Filters are packed once per call.
 */
final class ImplicitConv {
    private final int channels;
    private final int h;
    private final int w;
    private final int outH;
    private final int outW;
    private final int padH;
    private final int padW;
    private final int paddedW;
    private final int paddedPlane;
    private final int[] taps;

    /**
     * Rows of the A micro-panel, which must be the GEMM's mr. A constant, so that C2 expands each tap's copy
     * into a few moves (ArrayCopyLoadStoreMaxElem is 8) instead of calling the arraycopy stub.
     */
    static final int MR = 8;

    /** Whether this path computes the convolution: stride 1 both ways, and a GEMM tile of {@link #MR} rows. */
    static boolean supports(ConvGeometry g, int mr) {
        return g.strideH() == 1 && g.strideW() == 1 && mr == MR;
    }

    ImplicitConv(int[] xShape, int kernelH, int kernelW, ConvGeometry g) {
        this.channels = xShape[1];
        this.h = xShape[2];
        this.w = xShape[3];
        this.outH = g.outH(h, kernelH);
        this.outW = g.outW(w, kernelW);
        this.padH = g.padH();
        this.padW = g.padW();
        this.paddedW = w + 2 * padW;
        this.paddedPlane = (h + 2 * padH) * paddedW;
        this.taps = new int[channels * kernelH * kernelW];
        for (int c = 0, r = 0; c < channels; c++) {
            for (int i = 0; i < kernelH; i++) {
                for (int j = 0; j < kernelW; j++, r++) {
                    taps[r] = c * paddedPlane + i * paddedW + j;
                }
            }
        }
    }

    /** C·KH·KW, the GEMM's k. */
    int taps() {
        return taps.length;
    }

    /** Floats of the padded image buffer: MR of slack, as the last A panel of a row may read past its end. */
    int paddedSize() {
        return channels * paddedPlane + MR;
    }

    /**
     * Adds the convolution of the image at {@code x[imageOffset]} to {@code out[outOffset]} ([F, OH·OW]), with
     * {@code packedFilters} = Wᵀ packed by {@link Gemm#packWholeB}. The scratch buffers come from the caller's
     * {@link Workspace}: {@code padded} ({@link #paddedSize}), {@code panel} (taps·MR) and {@code tile} (MR·F).
     */
    void forward(float[] x, int imageOffset, float[] packedFilters, int filters, Gemm gemm, float[] padded,
                 float[] panel, float[] tile, float[] out, int outOffset) {
        pad(x, imageOffset, padded);
        int k = taps.length;
        int positions = outH * outW;
        for (int y = 0; y < outH; y++) {
            for (int ox = 0; ox < outW; ox += MR) {
                int base = y * paddedW + ox;
                for (int r = 0; r < k; r++) {
                    System.arraycopy(padded, base + taps[r], panel, r * MR, MR);
                }
                java.util.Arrays.fill(tile, 0, MR * filters, 0f);
                gemm.multiplyAddPacked(MR, filters, k, panel, packedFilters, tile, 0, filters);
                int rows = Math.min(MR, outW - ox);
                for (int f = 0, o = outOffset + y * outW + ox; f < filters; f++, o += positions) {
                    for (int i = 0; i < rows; i++) {
                        out[o + i] += tile[i * filters + f];
                    }
                }
            }
        }
    }

    /** Copies the image into the middle of {@code padded}; the border and the slack stay zero. */
    private void pad(float[] x, int imageOffset, float[] padded) {
        java.util.Arrays.fill(padded, 0f);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x, imageOffset + (c * h + i) * w, padded, c * paddedPlane + (i + padH) * paddedW + padW,
                        w);
            }
        }
    }
}
