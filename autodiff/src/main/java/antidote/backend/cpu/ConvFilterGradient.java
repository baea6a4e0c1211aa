package antidote.backend.cpu;

import antidote.backend.ConvGeometry;
import antidote.backend.Storage;

import static antidote.backend.cpu.Checks.cpu;
import static antidote.backend.cpu.Checks.requireGradOut;
import static antidote.backend.cpu.Checks.requireSize;
import static antidote.backend.cpu.Checks.sameDtype;
import static antidote.backend.cpu.Layout.size;

/**
 * The convolution filter gradient dW = Σ_n gradOut[n]·col_nᵀ, split between threads by blocks of dW, never by
 * image: every element of dW adds the images in order 0..N−1 on one thread, with the same GEMM tiles whatever
 * the split (blocks are whole nr-column panels by whole mr-row panels), so the bits do not depend on the thread
 * count. (Splitting by image and adding one partial per thread made them depend on it.)
 */
final class ConvFilterGradient {
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
     * Float32 dW with gradOut[n]'s rows of a group of filters packed once per image. Stride-1 layers whose channels
     * fill whole panels take B straight from a channels-last copy of the image (ImplicitConv, tap-major result,
     * column blocks of nr channels of one tap); the others transpose one nr-row block of col at a time into a GEMM
     * panel. Column blocks are split first; only when there are fewer than threads are the filters cut into groups
     * too (each thread then packs only its filters' gradient rows).
     */
    private float[] compute(float[] x, int[] xShape, float[] g, int[] filterShape, ConvGeometry geometry) {
        Im2col im2col = new Im2col(xShape, filterShape[2], filterShape[3], geometry);
        int filters = filterShape[0];
        int rows = im2col.rows();
        int cols = im2col.cols();
        int imageSize = xShape[1] * xShape[2] * xShape[3];
        int images = xShape[0];
        float[] sum = new float[size(filterShape)];
        if (images == 0) {
            return sum;
        }
        ImplicitConv implicit = ImplicitConv.supports(geometry)
                ? new ImplicitConv(xShape, filterShape[2], filterShape[3], geometry) : null;
        int nr = kernels.nr();
        int mr = kernels.mr();
        boolean tapMajor = implicit != null && implicit.supportsFilterGradient(nr);
        int columnBlocks = tapMajor ? implicit.filterGradientBlocks(nr) : ceil(rows, nr);
        int filterPanels = ceil(filters, mr);
        int wantedGroups = columnBlocks >= parallel.threads() ? 1 : ceil(parallel.threads(), columnBlocks);
        int groupSize = ceil(filterPanels, Math.min(filterPanels, wantedGroups)) * mr;
        int groups = ceil(filters, groupSize);
        parallel.forRange(groups * columnBlocks, (long) images * groupSize * nr * cols, (from, to) -> {
            Workspace ws = workspaces.get();
            float[] panel = ws.panel(cols * nr + nr);
            float[] image = ws.image(tapMajor ? implicit.channelsLastSize(kernels) : cols);
            float[] packedGrad = ws.operand(ws.gemm.packedSize(groupSize, cols));
            int firstGroup = from / columnBlocks;
            int lastGroup = (to - 1) / columnBlocks;
            for (int n = 0; n < images; n++) {
                if (tapMajor) {
                    implicit.padChannelsLast(x, n * imageSize, image);
                }
                for (int group = firstGroup; group <= lastGroup; group++) {
                    int f0 = group * groupSize;
                    int m = Math.min(groupSize, filters - f0);
                    int block0 = Math.max(from, group * columnBlocks) - group * columnBlocks;
                    int block1 = Math.min(to, (group + 1) * columnBlocks) - group * columnBlocks;
                    ws.gemm.packWhole(Gemm.Matrix.of(g, (n * filters + f0) * cols, cols), m, cols, packedGrad);
                    if (tapMajor) {
                        implicit.addFilterGradient(image, packedGrad, filters, f0, m, block0, block1, ws.gemm, kernels,
                                panel, sum);
                        continue;
                    }
                    for (int b = block0; b < block1; b++) {
                        int r0 = b * nr;
                        im2col.packRowsTransposed(x, n * imageSize, r0, nr, panel, image);
                        ws.gemm.multiplyAddPacked(m, Math.min(nr, rows - r0), cols, packedGrad, panel, sum,
                                f0 * rows + r0, rows);
                    }
                }
            }
        });
        return tapMajor ? fromTapMajor(sum, filterShape) : sum;
    }

    /** dW[f, c, kh, kw] from its tap-major form [KH·KW, F, C]. */
    private static float[] fromTapMajor(float[] tapMajor, int[] filterShape) {
        int filters = filterShape[0];
        int channels = filterShape[1];
        int taps = filterShape[2] * filterShape[3];
        float[] out = new float[tapMajor.length];
        for (int tap = 0; tap < taps; tap++) {
            for (int f = 0; f < filters; f++) {
                for (int c = 0; c < channels; c++) {
                    out[(f * channels + c) * taps + tap] = tapMajor[(tap * filters + f) * channels + c];
                }
            }
        }
        return out;
    }

    private static int ceil(int n, int block) {
        return (n + block - 1) / block;
    }
}
