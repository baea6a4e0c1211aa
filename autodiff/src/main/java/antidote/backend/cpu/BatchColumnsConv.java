package antidote.backend.cpu;

import antidote.backend.ConvGeometry;

import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Float32 convolution for layers with small output planes (PreAct-ResNet18's last stage: 4x4), with the batch's
 * images as the GEMM's columns. The convolution is a sum over the (output position p, tap t, input position q)
 * triples where tap t of output p lands inside the image: out[p][F, N] += W_t[F, C]·x[q][C, N]. The triples that
 * fall on the zero padding are left out, and there are many of them in small planes (31% of a 3x3 layer's
 * products at 4x4, 16% at 8x8), which im2col would multiply as zeros. Each product is a full-width GEMM however
 * small the plane: {@code nr} images per tile. Its B operand is copied once per call, straight into GEMM
 * micro-panels per position ({@link #panels}), and read by the plain packed tile. The rows of the product
 * (filters, or channels for the input gradient) are split between threads, each packing its own rows of A; every
 * output element sums its triples in one fixed order, so the bits do not depend on the thread count.
 */
final class BatchColumnsConv {
    /** Output planes of at most this many positions take this path. */
    static final int MAX_POSITIONS = 16;

    private final Parallel parallel;
    private final Kernels kernels;
    private final ThreadLocal<Workspace> workspaces;
    private final int images;
    private final int channels;
    private final int inPositions;
    /** The input positions some triple reads, in increasing order (a quarter of them for a 1x1 stride-2 kernel). */
    private final int[] inputs;
    private final int filters;
    private final int outPositions;
    private final int kernelTaps;
    /**
     * The triples, in tap-major order: tap, output position and input position of triple i ({@code inOf} as an
     * index into {@link #inputs}).
     */
    private final int[] tapOf;
    private final int[] outOf;
    private final int[] inOf;

    /** Whether a layer with these output planes should take this path. */
    static boolean suits(int outH, int outW) {
        return outH * outW <= MAX_POSITIONS;
    }

    /**
     * Whether a layer's filter gradient should take this path: planes of up to {@link #MAX_POSITIONS}, and also
     * planes of up to 64 positions when the kernel is wider than 1x1 and the channels outnumber the positions,
     * where one image's positions make too short a k for the per-image products (one thread, ms, direct → here:
     * 7x7 planes 64→128 11.4 → 9.2, 128→128 22.0 → 18.0; 8x8 planes 128→128 28.7 → 27.0, 256→256 113 → 96;
     * but 64→128 at 8x8 14.4 → 15.9, a 1x1 stride-2 kernel 8.9 → 18.8, 3 channels at 8x8 0.8 → 2.5).
     */
    static boolean suitsFilterGradient(int outH, int outW, int channels, int kernelTaps) {
        int positions = outH * outW;
        return suits(outH, outW) || kernelTaps > 1 && positions <= 64 && positions < channels;
    }

    BatchColumnsConv(int[] xShape, int[] wShape, ConvGeometry g, Parallel parallel, Kernels kernels,
                     ThreadLocal<Workspace> workspaces) {
        this.parallel = parallel;
        this.kernels = kernels;
        this.workspaces = workspaces;
        this.images = xShape[0];
        this.channels = xShape[1];
        int h = xShape[2];
        int w = xShape[3];
        this.inPositions = h * w;
        this.filters = wShape[0];
        int kh = wShape[2];
        int kw = wShape[3];
        this.kernelTaps = kh * kw;
        int outH = g.outH(h, kh);
        int outW = g.outW(w, kw);
        this.outPositions = outH * outW;
        int[] tap = new int[kernelTaps * outPositions];
        int[] out = new int[tap.length];
        int[] in = new int[tap.length];
        int count = 0;
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                for (int y = 0; y < outH; y++) {
                    for (int x = 0; x < outW; x++) {
                        int row = y * g.strideH() - g.padH() + i;
                        int col = x * g.strideW() - g.padW() + j;
                        if (row >= 0 && row < h && col >= 0 && col < w) {
                            tap[count] = i * kw + j;
                            out[count] = y * outW + x;
                            in[count++] = row * w + col;
                        }
                    }
                }
            }
        }
        this.tapOf = Arrays.copyOf(tap, count);
        this.outOf = Arrays.copyOf(out, count);
        this.inputs = Arrays.stream(in, 0, count).distinct().sorted().toArray();
        this.inOf = Arrays.stream(in, 0, count).map(q -> Arrays.binarySearch(inputs, q)).toArray();
    }

    /** out [N, F, OH, OW] = conv(x [N, C, H, W], w [F, C, KH, KW]) plus bias per filter (null for none). */
    float[] forward(float[] x, float[] w, float[] bias) {
        // x[n, c, q] → B panels of [C, N] per input position.
        float[] columns = panels(x, inPositions, channels * inPositions, inputs, channels, images);
        float[] product = new float[outPositions * filters * images];
        // W_t [F, C]: tap t of filter f, channel c, is w[(f·C + c)·T + t].
        sumOfProducts(filters, channels, images, t -> new Gemm.Matrix(w, t, channels * kernelTaps, kernelTaps),
                kernelTaps, tapOf, columns, inOf, product, outOf);
        float[] out = Transposes.swapOuterAxes(parallel, product, outPositions, filters, images);
        if (bias != null) {
            for (int plane = 0; plane < images * filters; plane++) {
                float b = bias[plane % filters];
                for (int i = plane * outPositions; i < (plane + 1) * outPositions; i++) {
                    out[i] += b;
                }
            }
        }
        return out;
    }

    /** dx [N, C, H, W] from gradOut [N, F, OH, OW] and w: dx[q][C, N] += W_tᵀ[C, F]·gradOut[p][F, N]. */
    float[] inputGradient(float[] gradOut, float[] w) {
        float[] columns = panels(gradOut, outPositions, filters * outPositions, IntStream.range(0, outPositions)
                .toArray(), filters, images);
        // Planes of the positions no tap reads stay zero.
        float[] product = new float[inPositions * channels * images];
        int[] inputPlanes = Arrays.stream(inOf).map(u -> inputs[u]).toArray();
        sumOfProducts(channels, filters, images, t -> new Gemm.Matrix(w, t, kernelTaps, channels * kernelTaps),
                kernelTaps, tapOf, columns, outOf, product, inputPlanes);
        return Transposes.swapOuterAxes(parallel, product, inPositions, channels, images);
    }

    /** dW [F, C, KH, KW] from x and gradOut: dW_t[F, C] += gradOut[p][F, N]·x[q][N, C] over the triples of tap t. */
    float[] filterGradient(float[] x, float[] gradOut) {
        // x[n, c, q] → B panels of [N, C] per input position.
        float[] rows = panels(x, channels * inPositions, inPositions, inputs, images, channels);
        float[] tapMajor = new float[kernelTaps * filters * channels];
        // gradOut[p] as [F, N]: filter f of image n at position p is gradOut[(n·F + f)·P + p].
        sumOfProducts(filters, images, channels, p -> new Gemm.Matrix(gradOut, p, outPositions, filters * outPositions),
                outPositions, outOf, rows, inOf, tapMajor, tapOf);
        // [T, F·C] → [F·C, T], as ConvFilterGradient.fromTapMajor.
        return Transposes.swapOuterAxes(parallel, tapMajor, kernelTaps, 1, filters * channels);
    }

    /**
     * For each triple i in order: {@code dst[dstOf[i]]} [m, n] += A_{aOf[i]} [m, k] · B_{srcOf[i]} [k, n], where
     * B_j is plane j of {@code panels} (as {@link #panels} lays them out) and plane j of dst is contiguous at
     * {@code j·m·n}. The m rows are split between threads in blocks of mr; each thread packs its rows of the
     * {@code aCount} matrices once.
     */
    private void sumOfProducts(int m, int k, int n, IntFunction<Gemm.Matrix> a, int aCount, int[] aOf,
                               float[] panels, int[] srcOf, float[] dst, int[] dstOf) {
        int mr = kernels.mr();
        int nr = kernels.nr();
        int plane = panelPlane(k, n);
        int blocks = (m + mr - 1) / mr;
        parallel.forRange(blocks, (long) mr * k * n * aOf.length / aCount, (from, to) -> {
            Workspace ws = workspaces.get();
            int r0 = from * mr;
            int rows = Math.min(m, to * mr) - r0;
            int packedSize = ws.gemm.packedSize(rows, k);
            float[] packed = ws.operand(aCount * packedSize);
            for (int j = 0; j < aCount; j++) {
                ws.gemm.packWhole(a.apply(j).fromRow(r0), rows, k, packed, j * packedSize);
            }
            float[] tile = ws.tile(mr * nr);
            for (int i = 0; i < aOf.length; i++) {
                int dstBase = dstOf[i] * m * n + r0 * n;
                for (int pc = 0; pc < k; pc += Gemm.KC) {
                    int kc = Math.min(Gemm.KC, k - pc);
                    for (int ir = 0; ir < rows; ir += mr) {
                        int ap = aOf[i] * packedSize + ir * k + pc * mr;
                        for (int c0 = 0, bp = srcOf[i] * plane + pc * nr; c0 < n; c0 += nr, bp += k * nr) {
                            kernels.multiplyAdd(kc, packed, ap, panels, bp, dst, dstBase + ir * n + c0, n,
                                    Math.min(mr, rows - ir), Math.min(nr, n - c0), tile);
                        }
                    }
                }
            }
        });
    }

    /** Floats of one plane of {@link #panels}: k rows by n columns rounded up to whole panels of nr. */
    private int panelPlane(int k, int n) {
        int nr = kernels.nr();
        return k * ((n + nr - 1) / nr * nr);
    }

    /**
     * Copies {@code src} into GEMM B micro-panels, one [k, n] plane per entry of {@code planes}: element (r, c)
     * of plane u is {@code src[r·rowStride + c·colStride + planes[u]]}, stored at {@code u·plane + (c / nr)·k·nr +
     * r·nr + c % nr} (as {@link Gemm#packWholeB} lays out one matrix), with the columns past n zero.
     */
    private float[] panels(float[] src, int rowStride, int colStride, int[] planes, int k, int n) {
        int nr = kernels.nr();
        int plane = panelPlane(k, n);
        float[] out = new float[planes.length * plane];
        // Runs of up to nr consecutive c stay inside one panel row.
        Transposes.blocked(parallel, Math.min(Transposes.BLOCK, nr), src, rowStride, colStride, planes, k, n,
                (r, u, c) -> u * plane + c / nr * k * nr + r * nr + c % nr, out);
        return out;
    }
}
