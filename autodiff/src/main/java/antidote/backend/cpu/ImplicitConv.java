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
    private final int kernelH;
    private final int kernelW;
    private final int[] taps;
    /** Start of each output position's channel vector in the channels-last padded image. */
    private final int[] positions;

    /** Whether this path computes the convolution: stride 1 both ways. */
    static boolean supports(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1;
    }

    ImplicitConv(int[] xShape, int kernelH, int kernelW, ConvGeometry g) {
        this.channels = xShape[1];
        this.h = xShape[2];
        this.w = xShape[3];
        this.kernelH = kernelH;
        this.kernelW = kernelW;
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
        this.positions = new int[outH * outW];
        for (int y = 0, p = 0; y < outH; y++) {
            for (int ox = 0; ox < outW; ox++, p++) {
                positions[p] = (y * paddedW + ox) * channels;
            }
        }
    }

    /**
     * Whether {@link #addFilterGradient} applies: the channels must fill whole B panels of nr (as in every
     * VGG and ResNet layer but the first, whose 1 or 3 channels would waste most of each panel).
     */
    boolean supportsFilterGradient(int nr) {
        return channels % nr == 0;
    }

    /** C·KH·KW, the GEMM's k. */
    int taps() {
        return taps.length;
    }

    /**
     * Floats of the padded image buffer, with the slack that {@link Kernels#gatherRows} and
     * {@link #forwardDirect} read past the end.
     */
    int paddedSize(Kernels kernels) {
        return channels * paddedPlane + Math.max(kernels.nr(), kernelW);
    }

    /**
     * Whether {@link #forwardDirect} is the faster way for {@code filters} filters: the GEMM tile computes nr
     * filters at once, so with a few filters most of its lanes would be idle (the input gradient of a 1-channel
     * first layer used 1 of 32 and ran at 3.5 GFLOP/s).
     */
    boolean prefersDirect(int filters, Kernels kernels) {
        return filters * 4 <= kernels.nr() || taps.length <= 16;
    }

    /** Floats of {@link #forwardDirect}'s accumulator: every output row at the padded width. */
    int rowsSize() {
        return outH * paddedW;
    }

    /**
     * As {@link #forward}, for a few filters with {@code w} in its natural [F, C·KH·KW] layout: each output
     * plane is accumulated over the padded rows, all taps of one channel per pass (the columns past outW of
     * each row are computed and dropped). Scratch: {@code padded} and {@code rows}
     * ({@link #rowsSize}).
     */
    void forwardDirect(float[] x, int imageOffset, float[] w, int filters, Kernels kernels, float[] padded,
                       float[] rows, float[] out, int outOffset) {
        pad(x, imageOffset, padded);
        int k = taps.length;
        int perChannel = kernelH * kernelW;
        int length = outH * paddedW;
        for (int f = 0; f < filters; f++) {
            java.util.Arrays.fill(rows, 0, length, 0f);
            // One channel's taps at a time: its padded plane stays in L1 while the rows gain them all.
            for (int r = 0; r < k; r += perChannel) {
                kernels.addWeightedRows(padded, taps, r, perChannel, w, f * k + r, rows, 0, length);
            }
            for (int y = 0, o = outOffset + f * outH * outW; y < outH; y++, o += outW) {
                System.arraycopy(rows, y * paddedW, out, o, outW);
            }
        }
    }

    /** Floats of the A panel buffer, with the slack {@link Kernels#gatherRows} writes past the end. */
    int panelSize(Kernels kernels) {
        return taps.length * kernels.mr() + kernels.nr();
    }

    /**
     * Writes the convolution of the image at {@code x[imageOffset]} to {@code out[outOffset]} ([F, OH·OW]), with
     * {@code packedFilters} = Wᵀ packed by {@link Gemm#packWholeB}. The scratch buffers come from the caller's
     * {@link Workspace}: {@code padded} ({@link #paddedSize}), {@code panel} ({@link #panelSize}) and {@code tile} (mr·F).
     */
    void forward(float[] x, int imageOffset, float[] packedFilters, int filters, Gemm gemm, Kernels kernels,
                 float[] padded, float[] panel, float[] tile, float[] out, int outOffset) {
        pad(x, imageOffset, padded);
        int mr = kernels.mr();
        int k = taps.length;
        int outputs = outH * outW;
        for (int y = 0; y < outH; y++) {
            for (int ox = 0; ox < outW; ox += mr) {
                kernels.gatherRows(padded, y * paddedW + ox, taps, k, mr, panel);
                java.util.Arrays.fill(tile, 0, mr * filters, 0f);
                gemm.multiplyAddPacked(mr, filters, k, panel, packedFilters, tile, 0, filters);
                int rows = Math.min(mr, outW - ox);
                for (int f = 0, o = outOffset + y * outW + ox; f < filters; f++, o += outputs) {
                    for (int i = 0; i < rows; i++) {
                        out[o + i] = tile[i * filters + f];
                    }
                }
            }
        }
    }

    /**
     * Adds one image's filter gradient, per tap, to {@code partial} in tap-major layout: entry
     * {@code (tap·F + f)·C + c} gains Σ_p gradOut[f, p]·x[c, p shifted by the tap], with gradOut packed whole by
     * {@link Gemm#packWhole}. For a fixed tap this is a GEMM whose B rows, the C channels of one shifted
     * position, are contiguous in a channels-last copy of the padded image: the B panels are packed with
     * vector copies instead of im2col's transposed scatter. Scratch: {@code channelsLast}
     * ({@link #channelsLastSize}) and {@code panel} (OH·OW·nr + nr).
     */
    void addFilterGradient(float[] x, int imageOffset, float[] packedGrad, int filters, Gemm gemm, Kernels kernels,
                           float[] channelsLast, float[] panel, float[] partial) {
        padChannelsLast(x, imageOffset, channelsLast);
        int nr = kernels.nr();
        for (int i = 0, tap = 0; i < kernelH; i++) {
            for (int j = 0; j < kernelW; j++, tap++) {
                int shift = (i * paddedW + j) * channels;
                for (int c0 = 0; c0 < channels; c0 += nr) {
                    kernels.gatherRows(channelsLast, shift + c0, positions, positions.length, nr, panel);
                    gemm.multiplyAddPacked(filters, nr, positions.length, packedGrad, panel, partial,
                            tap * filters * channels + c0, channels);
                }
            }
        }
    }

    /** Floats of the channels-last padded image, with {@link Kernels#gatherRows}' slack. */
    int channelsLastSize(Kernels kernels) {
        return channels * paddedPlane + kernels.nr();
    }

    /** The image as [H + 2·padH, W + 2·padW, C] with a zero border (the slack past it is left as it was). */
    private void padChannelsLast(float[] x, int imageOffset, float[] out) {
        java.util.Arrays.fill(out, 0, channels * paddedPlane, 0f);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0, src = imageOffset + (c * h + i) * w, dst = ((i + padH) * paddedW + padW) * channels + c;
                     j < w; j++, src++, dst += channels) {
                    out[dst] = x[src];
                }
            }
        }
    }

    /**
     * Copies the image into the middle of {@code padded} with a zero border. The slack past it is left as it
     * was: it only reaches lanes that are never stored.
     */
    private void pad(float[] x, int imageOffset, float[] padded) {
        java.util.Arrays.fill(padded, 0, channels * paddedPlane, 0f);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x, imageOffset + (c * h + i) * w, padded, c * paddedPlane + (i + padH) * paddedW + padW,
                        w);
            }
        }
    }
}
