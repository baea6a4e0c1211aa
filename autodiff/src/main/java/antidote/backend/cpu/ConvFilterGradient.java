package antidote.backend.cpu;

import antidote.backend.ConvGeometry;
import antidote.backend.Storage;

import static antidote.backend.cpu.Checks.cpu;
import static antidote.backend.cpu.Checks.requireGradOut;
import static antidote.backend.cpu.Checks.requireSize;
import static antidote.backend.cpu.Checks.sameDtype;
import static antidote.backend.cpu.Layout.size;

/**
 * The convolution filter gradient dW = Σ_n gradOut[n]·col_nᵀ. The images are cut into a fixed number of chunks
 * (at most {@link #CHUNKS}, whatever the thread count); each chunk sums its images in order into its own partial,
 * the chunks are shared out between threads, and the partials are added in chunk order. So the bits do not
 * depend on the thread count. (One partial per thread, as before, made them depend on it.)
 */
final class ConvFilterGradient {
    /**
     * Chunks of images, each with its own partial dW. Six splits evenly over 1, 2, 3 and 6 threads; more threads
     * than six leave some idle in this kernel. The cost over one partial per thread: the extra partials' zeroing
     * and adding, a few passes over dW against the batch's N·OH·OW multiply-adds per element of dW.
     */
    private static final int CHUNKS = 6;

    private final Parallel parallel;
    private final Kernels kernels;
    private final ThreadLocal<Workspace> workspaces;

    ConvFilterGradient(Parallel parallel, Kernels kernels, ThreadLocal<Workspace> workspaces) {
        this.parallel = parallel;
        this.kernels = kernels;
        this.workspaces = workspaces;
    }

    /** dW [F,C,KH,KW] from the input x [N,C,H,W] and the output gradient [N,F,OH,OW]. */
    CpuStorage compute(Storage x, int[] xShape, Storage gradOut, int[] gradShape, int[] filterShape,
                       ConvGeometry geometry) {
        CpuStorage input = cpu(x, "x");
        CpuStorage grad = sameDtype(input, cpu(gradOut, "gradOut"), "gradOut");
        requireSize(input, xShape, "x");
        requireGradOut(grad, gradShape, xShape, filterShape, geometry);
        if (input instanceof CpuStorage.F64 dx) {
            double[] out = new double[size(filterShape)];
            new Conv64(xShape, filterShape, geometry).backwardFilter(dx.data(), ((CpuStorage.F64) grad).data(), out);
            return new CpuStorage.F64(out);
        }
        return new CpuStorage.F32(compute(((CpuStorage.F32) input).data(), xShape, ((CpuStorage.F32) grad).data(),
                filterShape, geometry));
    }

    /**
     * Float32 dW with gradOut[n] packed once per image. Layers with small output planes go to
     * {@link BatchColumnsConv} ({@link BatchColumnsConv#suitsFilterGradient}). Stride-1 layers whose channels fill
     * whole panels take B straight from a channels-last copy of the image (ImplicitConv, tap-major partials); the
     * others transpose one nr-row block of col at a time into a GEMM panel.
     */
    private float[] compute(float[] x, int[] xShape, float[] g, int[] filterShape, ConvGeometry geometry) {
        if (BatchColumnsConv.suitsFilterGradient(geometry.outH(xShape[2], filterShape[2]),
                geometry.outW(xShape[3], filterShape[3]), xShape[1], filterShape[2] * filterShape[3])) {
            return new BatchColumnsConv(xShape, filterShape, geometry, parallel, kernels, workspaces)
                    .filterGradient(x, g);
        }
        Im2col im2col = new Im2col(xShape, filterShape[2], filterShape[3], geometry);
        int filters = filterShape[0];
        int rows = im2col.rows();
        int cols = im2col.cols();
        int imageSize = xShape[1] * xShape[2] * xShape[3];
        int images = xShape[0];
        int chunks = Math.min(images, CHUNKS);
        if (chunks == 0) {
            return new float[size(filterShape)];
        }
        ImplicitConv implicit = ImplicitConv.supports(geometry)
                ? new ImplicitConv(xShape, filterShape[2], filterShape[3], geometry) : null;
        boolean tapMajor = implicit != null && implicit.supportsFilterGradient(kernels.nr());
        float[][] partials = new float[chunks][];
        parallel.forRange(chunks, (long) images / chunks * filters * rows * cols, (from, to) -> {
            Workspace ws = workspaces.get();
            int nr = ws.gemm.nr();
            float[] panel = tapMajor ? null : ws.panel(cols * nr + nr);
            float[] tile = tapMajor ? ws.tile(nr * ws.gemm.mr()) : null;
            float[] image = ws.image(tapMajor ? implicit.channelsLastSize(kernels) : cols);
            float[] packedGrad = ws.operand(ws.gemm.packedSize(filters, cols));
            for (int chunk = from; chunk < to; chunk++) {
                float[] partial = new float[filters * rows];
                partials[chunk] = partial;
                for (int n = first(chunk, chunks, images); n < first(chunk + 1, chunks, images); n++) {
                    ws.gemm.packWhole(Gemm.Matrix.of(g, n * filters * cols, cols), filters, cols, packedGrad);
                    if (tapMajor) {
                        implicit.addFilterGradient(x, n * imageSize, packedGrad, filters, kernels, image, tile,
                                partial);
                        continue;
                    }
                    for (int r0 = 0; r0 < rows; r0 += nr) {
                        im2col.packRowsTransposed(x, n * imageSize, r0, nr, panel, image);
                        ws.gemm.multiplyAddPacked(filters, Math.min(nr, rows - r0), cols, packedGrad, panel, partial,
                                r0, rows);
                    }
                }
            }
        });
        float[] sum = partials[0];
        parallel.forRange(sum.length, chunks, (from, to) -> {
            for (int c = 1; c < chunks; c++) {
                float[] partial = partials[c];
                for (int i = from; i < to; i++) {
                    sum[i] += partial[i];
                }
            }
        });
        return tapMajor ? fromTapMajor(parallel, sum, filterShape) : sum;
    }

    /** The first image of chunk {@code chunk} of {@code chunks} over {@code count} images. */
    private static int first(int chunk, int chunks, int count) {
        return (int) ((long) count * chunk / chunks);
    }

    /** dW[f, c, kh, kw] from its tap-major form [KH·KW, F, C]. */
    static float[] fromTapMajor(Parallel parallel, float[] tapMajor, int[] filterShape) {
        return Transposes.swapOuterAxes(parallel, tapMajor, filterShape[2] * filterShape[3], 1,
                filterShape[0] * filterShape[1]);
    }
}
