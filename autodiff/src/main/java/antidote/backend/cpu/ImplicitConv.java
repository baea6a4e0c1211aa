package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

/**
 * Stride-1 float32 convolution without an im2col matrix. Each image is first copied into a zero-padded buffer,
 * where the im2col entry of tap r = (c, kh, kw) at output (y, ox) is {@code padded[tap[r] + y·Wp + ox]}: a run
 * of consecutive outputs of one row is a run of contiguous floats per tap, which the GEMM tiles of 3x3 kernels
 * read in place and other kernels copy into panels, without any bounds logic either way (im2col's edge
 * handling cost 15-23% of a SmallVgg step). Three ways to run the product, chosen per layer by
 * {@link #strategy}: see {@link Strategy}.
 */
final class ImplicitConv {
    /**
     * How the per-image product is laid out. Measured on 2 threads, batch 128, 3x3 kernels read in place
     * (GFLOP/s, forward / input gradient, by outputs then by positions): 32→32 at 28x28 150/157 and 165/162;
     * 64→64 at 14x14 182/182 and 172/172; 128→128 at 7x7 195/193 and 147/145.
     */
    enum Strategy {
        /** Few filters or few taps: each output plane as weighted sums of shifted padded rows, no GEMM. */
        DIRECT,
        /**
         * Filters (A, packed once) by nr consecutive positions of the padded rows (B): a B panel is nr
         * contiguous floats per tap and serves every filter block, and tiles store straight into output rows;
         * the positions in the padding columns are computed and dropped.
         */
        FILTERS_BY_POSITIONS,
        /**
         * mr (or mr − 1) outputs of one row (A) by filters (B, packed once): no padding columns are computed,
         * but each A panel serves only F/nr tiles and the tile is stored transposed. Better where the padding
         * columns are a large share of each row (7x7, 8x8, and 14x14 in tiles of 7).
         */
        OUTPUTS_BY_FILTERS
    }

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
    /**
     * Whether the GEMM tiles read im2col's rows in place ({@link Kernels#multiplyAddGatheredB}) instead of copying
     * them into panels: chosen, and measured, for 3x3 kernels, the only stride-1 convolutions of the models.
     */
    private final boolean inPlace;
    /** Start of each output position's channel vector in the channels-last padded image. */
    private final int[] positions;
    /**
     * For {@link Strategy#OUTPUTS_BY_FILTERS}: the taps in kernel-row-major order (kernel row, then channel, then
     * kernel column), so that the taps of the kernel rows that land inside the image for output row y are the
     * contiguous range [{@code firstTap[y]}, {@code endTap[y]}). The first and last output rows of a padded 3x3
     * convolution skip a third of the products that way (their other kernel row reads only zero padding), without
     * a second copy of the filters.
     */
    private final int[] rowMajorTaps;
    private final int[] firstTap;
    private final int[] endTap;

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
        this.inPlace = kernelH == 3 && kernelW == 3;
        this.rowMajorTaps = new int[taps.length];
        for (int i = 0, r = 0; i < kernelH; i++) {
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < kernelW; j++, r++) {
                    rowMajorTaps[r] = taps[(c * kernelH + i) * kernelW + j];
                }
            }
        }
        this.firstTap = new int[outH];
        this.endTap = new int[outH];
        for (int y = 0; y < outH; y++) {
            // Kernel rows i whose input row y − padH + i lies inside [0, h).
            int first = Math.max(0, padH - y);
            int end = Math.max(first, Math.min(kernelH, padH + h - y));
            firstTap[y] = first * channels * kernelW;
            endTap[y] = end * channels * kernelW;
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
     * Floats of the padded image buffer, with the slack that panel copies read past its end: up to kw − 1
     * plus one panel width.
     */
    private int paddedSize(Kernels kernels) {
        return channels * paddedPlane + kernelW + kernels.nr();
    }

    /**
     * The layout for {@code filters} filters. A GEMM tile computes nr filters (or positions) at once, so with few
     * filters most lanes would idle (the input gradient of a 1-channel first layer used 1 of 32 and ran at 3.5
     * GFLOP/s); with few taps the panel copies outweigh the short products. Between the two GEMM layouts, the
     * share of wasted lanes decides, with a 10-point allowance for positions, whose panels are shared by
     * every filter block.
     */
    Strategy strategy(int filters, Kernels kernels) {
        if (filters * 4 <= kernels.nr() || taps.length <= 16) {
            return Strategy.DIRECT;
        }
        int nr = kernels.nr();
        int mr = kernels.mr();
        double positionsUsed = (double) outH * outW / (ceil(outH * paddedW, nr) * nr);
        int step = outputsPerTile(kernels);
        double outputsUsed = (double) outW / (ceil(outW, step) * step);
        return positionsUsed >= outputsUsed - 0.10 ? Strategy.FILTERS_BY_POSITIONS : Strategy.OUTPUTS_BY_FILTERS;
    }

    /**
     * Outputs of a row per tile in {@link Strategy#OUTPUTS_BY_FILTERS}: mr, or mr − 1 where that divides the row
     * and mr does not and the tile reads the image in place (7 leaves no lane idle on 7-, 14- and 28-wide rows).
     */
    private int outputsPerTile(Kernels kernels) {
        int mr = kernels.mr();
        return inPlace && outW % mr != 0 && outW % (mr - 1) == 0 ? mr - 1 : mr;
    }

    /** The filters [F, C·KH·KW] in the form {@link #forward} takes for {@code strategy}, packed once per call. */
    float[] filterOperand(Strategy strategy, float[] w, int filters, Gemm gemm) {
        int k = taps.length;
        return switch (strategy) {
            case DIRECT -> w;
            case FILTERS_BY_POSITIONS -> gemm.packWhole(Gemm.Matrix.of(w, 0, k), filters, k);
            case OUTPUTS_BY_FILTERS -> gemm.packWholeB(Gemm.Matrix.transposeOf(kernelRowMajor(w, filters), 0, k), k,
                    filters);
        };
    }

    /** The filters [F, C, KH, KW] as [F, KH, C, KW], the order of {@link #rowMajorTaps}. */
    private float[] kernelRowMajor(float[] w, int filters) {
        float[] out = new float[w.length];
        for (int f = 0, o = 0; f < filters; f++) {
            for (int i = 0; i < kernelH; i++) {
                for (int c = 0; c < channels; c++, o += kernelW) {
                    System.arraycopy(w, ((f * channels + c) * kernelH + i) * kernelW, out, o, kernelW);
                }
            }
        }
        return out;
    }

    /**
     * Writes the convolution of the image at {@code x[imageOffset]} plus {@code bias} (F values, or null for none)
     * to {@code out[outOffset]} ([F, OH·OW]), with {@code filterOperand} from {@link #filterOperand} and scratch
     * from the calling thread's workspace.
     */
    void forward(Strategy strategy, float[] x, int imageOffset, float[] filterOperand, int filters, float[] bias,
                 Workspace ws, Kernels kernels, float[] out, int outOffset) {
        float[] padded = ws.image(paddedSize(kernels));
        pad(x, imageOffset, padded);
        switch (strategy) {
            case DIRECT -> direct(padded, filterOperand, filters, bias, kernels, ws.tile(outH * paddedW), out,
                    outOffset);
            case FILTERS_BY_POSITIONS -> byPositions(padded, filterOperand, filters, bias, ws.gemm, kernels,
                    ws.panel(inPlace ? kernels.mr() * kernels.nr() : (taps.length + 1) * kernels.nr()),
                    ws.tile(filters * outH * paddedW), out, outOffset);
            case OUTPUTS_BY_FILTERS -> byOutputs(padded, filterOperand, filters, bias, ws.gemm, kernels,
                    ws.panel(inPlace ? kernels.mr() * kernels.nr() : taps.length * kernels.mr() + kernels.nr()),
                    ws.tile(kernels.mr() * filters), out, outOffset);
        }
    }

    /** Filter f's bias, 0 without one. */
    private static float biasOf(float[] bias, int f) {
        return bias == null ? 0f : bias[f];
    }

    /** {@link Strategy#DIRECT}: one output plane at a time, all taps of one channel per pass over {@code rows}. */
    private void direct(float[] padded, float[] w, int filters, float[] bias, Kernels kernels, float[] rows,
                        float[] out, int outOffset) {
        int k = taps.length;
        int perChannel = kernelH * kernelW;
        int length = outH * paddedW;
        for (int f = 0; f < filters; f++) {
            java.util.Arrays.fill(rows, 0, length, biasOf(bias, f));
            // One channel's taps at a time: its padded plane stays in L1 while the rows gain them all.
            for (int r = 0; r < k; r += perChannel) {
                kernels.addWeightedRows(padded, taps, r, perChannel, w, f * k + r, rows, 0, length);
            }
            dropPaddingColumns(rows, 0, out, outOffset + f * outH * outW);
        }
    }

    /** {@link Strategy#FILTERS_BY_POSITIONS}, into {@code rows} [F, OH·Wp] first. */
    private void byPositions(float[] padded, float[] packedFilters, int filters, float[] bias, Gemm gemm,
                             Kernels kernels, float[] panel, float[] rows, float[] out, int outOffset) {
        int nr = kernels.nr();
        int length = outH * paddedW;
        for (int f = 0; f < filters; f++) {
            java.util.Arrays.fill(rows, f * length, (f + 1) * length, biasOf(bias, f));
        }
        if (inPlace) {
            productInPlace(padded, packedFilters, filters, kernels, panel, rows);
        } else {
            for (int t0 = 0; t0 < length; t0 += nr) {
                kernels.gatherRows(padded, t0, taps, taps.length, nr, panel);
                gemm.multiplyAddPacked(filters, Math.min(nr, length - t0), taps.length, packedFilters, panel, rows,
                        t0, length);
            }
        }
        for (int f = 0; f < filters; f++) {
            dropPaddingColumns(rows, f * length, out, outOffset + f * outH * outW);
        }
    }

    /**
     * {@code rows += filters · im2col(padded)} with im2col's rows read in place from the padded image by
     * {@link Kernels#multiplyAddGatheredB} (im2col's row for tap k starts at {@code taps[k]}): no B panel is
     * copied, which took a tenth of these layers' time. Each A micro-panel stays in L1 while the tile walks the
     * positions.
     */
    private void productInPlace(float[] padded, float[] packedFilters, int filters, Kernels kernels, float[] tile,
                                float[] rows) {
        int k = taps.length;
        int mr = kernels.mr();
        int nr = kernels.nr();
        int length = outH * paddedW;
        for (int pc = 0; pc < k; pc += Gemm.KC) {
            int kc = Math.min(Gemm.KC, k - pc);
            for (int ir = 0, ap = pc * mr; ir < filters; ir += mr, ap += k * mr) {
                for (int t0 = 0; t0 < length; t0 += nr) {
                    kernels.multiplyAddGatheredB(kc, packedFilters, ap, padded, t0, taps, pc, rows,
                            ir * length + t0, length, Math.min(mr, filters - ir), Math.min(nr, length - t0), tile);
                }
            }
        }
    }

    /** {@link Strategy#OUTPUTS_BY_FILTERS}: mr outputs of a row at a time, the mr x F tile stored transposed. */
    private void byOutputs(float[] padded, float[] packedFilters, int filters, float[] bias, Gemm gemm,
                           Kernels kernels, float[] panel, float[] tile, float[] out, int outOffset) {
        int mr = kernels.mr();
        int k = taps.length;
        int outputs = outH * outW;
        int step = outputsPerTile(kernels);
        for (int y = 0; y < outH; y++) {
            for (int ox = 0; ox < outW; ox += step) {
                int rows = Math.min(step, outW - ox);
                java.util.Arrays.fill(tile, 0, mr * filters, 0f);
                if (inPlace) {
                    outputsInPlace(padded, y * paddedW + ox, rows, firstTap[y], endTap[y], packedFilters, filters,
                            kernels, panel, tile);
                } else {
                    kernels.gatherRows(padded, y * paddedW + ox, rowMajorTaps, k, mr, panel);
                    gemm.multiplyAddPacked(mr, filters, k, panel, packedFilters, tile, 0, filters);
                }
                for (int f = 0, o = outOffset + y * outW + ox; f < filters; f++, o += outputs) {
                    float b = biasOf(bias, f);
                    for (int i = 0; i < rows; i++) {
                        out[o + i] = tile[i * filters + f] + b;
                    }
                }
            }
        }
    }

    /**
     * {@code tile[rows, F] += im2col rows of the outputs from padded[base] · filters} over the taps [first, end) of
     * {@link #rowMajorTaps}, im2col read in place by {@link Kernels#multiplyAddGatheredA}: no A panel is copied.
     */
    private void outputsInPlace(float[] padded, int base, int rows, int first, int end, float[] packedFilters,
                                int filters, Kernels kernels, float[] scratch, float[] tile) {
        int k = taps.length;
        int nr = kernels.nr();
        for (int pc = first; pc < end; pc += Gemm.KC) {
            int kc = Math.min(Gemm.KC, end - pc);
            for (int jr = 0, bp = pc * nr; jr < filters; jr += nr, bp += k * nr) {
                kernels.multiplyAddGatheredA(kc, padded, base, rowMajorTaps, pc, packedFilters, bp, tile,
                        jr, filters, rows, Math.min(nr, filters - jr), scratch);
            }
        }
    }

    /** Copies one plane computed at the padded width ({@code rows[from]}, OH x Wp) to OH x OW at {@code out[o]}. */
    private void dropPaddingColumns(float[] rows, int from, float[] out, int o) {
        for (int y = 0; y < outH; y++, o += outW) {
            System.arraycopy(rows, from + y * paddedW, out, o, outW);
        }
    }

    private static int ceil(int n, int block) {
        return (n + block - 1) / block;
    }

    /**
     * Adds one image's filter gradient, per tap, to {@code partial} in tap-major layout: entry
     * {@code (tap·F + f)·C + c} gains Σ_p gradOut[f, p]·x[c, p shifted by the tap], with gradOut packed whole by
     * {@link Gemm#packWhole}. For a fixed tap this is a GEMM whose B rows, the C channels of one shifted
     * position, are contiguous in a channels-last copy of the padded image, so the tiles read them there
     * ({@link Kernels#multiplyAddGatheredB}; copying them into panels first cost 6% more on 32 channels at
     * 28x28). Scratch: {@code channelsLast} ({@link #channelsLastSize}) and {@code tile} (mr·nr).
     */
    void addFilterGradient(float[] x, int imageOffset, float[] packedGrad, int filters, Kernels kernels,
                           float[] channelsLast, float[] tile, float[] partial) {
        padChannelsLast(x, imageOffset, channelsLast);
        int nr = kernels.nr();
        int mr = kernels.mr();
        int k = positions.length;
        for (int i = 0, tap = 0; i < kernelH; i++) {
            for (int j = 0; j < kernelW; j++, tap++) {
                int shift = (i * paddedW + j) * channels;
                for (int c0 = 0; c0 < channels; c0 += nr) {
                    for (int pc = 0; pc < k; pc += Gemm.KC) {
                        int kc = Math.min(Gemm.KC, k - pc);
                        for (int ir = 0, ap = pc * mr; ir < filters; ir += mr, ap += k * mr) {
                            kernels.multiplyAddGatheredB(kc, packedGrad, ap, channelsLast, shift + c0, positions, pc,
                                    partial, (tap * filters + ir) * channels + c0, channels,
                                    Math.min(mr, filters - ir), nr, tile);
                        }
                    }
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
