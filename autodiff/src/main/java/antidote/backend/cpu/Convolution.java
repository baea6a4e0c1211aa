package antidote.backend.cpu;

import antidote.backend.ConvGeometry;
import antidote.backend.Storage;

import java.util.Arrays;

import static antidote.backend.cpu.Checks.cpu;
import static antidote.backend.cpu.Checks.requireConv;
import static antidote.backend.cpu.Checks.requireGradOut;
import static antidote.backend.cpu.Checks.requireSize;
import static antidote.backend.cpu.Checks.sameDtype;
import static antidote.backend.cpu.Layout.size;

/**
 * The convolution forward pass and input gradient, with the choice of algorithm per shape: float64 by
 * {@link Conv64}; float32 layers with small output planes by {@link BatchColumnsConv}, 3x3 layers with stride 1,
 * padding 1 and at least {@link WinogradConv#MIN_CHANNELS} channels and filters by {@link WinogradConv}, other
 * stride-1 layers by {@link ImplicitConv}, other strides by {@link Im2col} panels into the {@link Gemm}. Work is
 * split between threads, and each output is computed by one thread in a fixed order. The filter gradient is
 * {@link ConvFilterGradient}.
 */
final class Convolution {
    private final Parallel parallel;
    private final Kernels kernels;
    private final ThreadLocal<Workspace> workspaces;

    Convolution(Parallel parallel, Kernels kernels, ThreadLocal<Workspace> workspaces) {
        this.parallel = parallel;
        this.kernels = kernels;
        this.workspaces = workspaces;
    }

    /** conv2d with the bias (null for none) written into each output plane before the products are added. */
    CpuStorage forward(Storage x, int[] xShape, Storage w, int[] wShape, Storage bias, ConvGeometry geometry) {
        CpuStorage input = cpu(x, "x");
        CpuStorage filter = sameDtype(input, cpu(w, "w"), "w");
        requireConv(input, xShape, filter, wShape, geometry);
        CpuStorage perFilter = bias == null ? null : sameDtype(input, cpu(bias, "bias"), "bias");
        if (perFilter != null) {
            requireSize(perFilter, new int[]{wShape[0]}, "bias");
        }
        if (input instanceof CpuStorage.F64 dx) {
            Conv64 conv = new Conv64(xShape, wShape, geometry);
            double[] out = new double[conv.outputs()];
            parallel.forRange(conv.outputs(), (long) wShape[1] * wShape[2] * wShape[3],
                    (from, to) -> conv.forward(dx.data(), ((CpuStorage.F64) filter).data(), out, from, to));
            if (perFilter != null) {
                double[] b = ((CpuStorage.F64) perFilter).data();
                int plane = out.length / xShape[0] / wShape[0];
                for (int i = 0; i < out.length; i++) {
                    out[i] += b[i / plane % wShape[0]];
                }
            }
            return new CpuStorage.F64(out);
        }
        return new CpuStorage.F32(conv2d(((CpuStorage.F32) input).data(), xShape, ((CpuStorage.F32) filter).data(),
                wShape, perFilter == null ? null : ((CpuStorage.F32) perFilter).data(), geometry));
    }

    /**
     * Float32 convolution. Stride 1 goes to {@link #implicitConv2d}; other strides run one GEMM per image,
     * out[n] = W·col(x[n]), with W [F, C·KH·KW] packed once and the im2col matrix built one GEMM panel of nr
     * output positions at a time, each used while it is still in L1. Images are split between threads.
     */
    private float[] conv2d(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, ConvGeometry geometry) {
        int outH = geometry.outH(xShape[2], wShape[2]);
        int outW = geometry.outW(xShape[3], wShape[3]);
        if (BatchColumnsConv.suits(outH, outW)) {
            return new BatchColumnsConv(xShape, wShape, geometry, parallel, kernels, workspaces).forward(x, w, bias);
        }
        if (WinogradConv.suits(xShape, wShape, geometry)) {
            return new WinogradConv(xShape, wShape, parallel, kernels, workspaces).forward(x, w, bias);
        }
        if (ImplicitConv.supports(geometry)) {
            return implicitConv2d(x, xShape, w, wShape, bias, geometry);
        }
        Im2col im2col = new Im2col(xShape, wShape[2], wShape[3], geometry);
        int filters = wShape[0];
        int rows = im2col.rows();
        int cols = im2col.cols();
        int imageSize = xShape[1] * xShape[2] * xShape[3];
        float[] out = new float[xShape[0] * filters * cols];
        Gemm caller = workspaces.get().gemm;
        int nr = caller.nr();
        float[] packedW = caller.packWhole(Gemm.Matrix.of(w, 0, rows), filters, rows);
        parallel.forRange(xShape[0], (long) filters * rows * cols, (from, to) -> {
            Workspace ws = workspaces.get();
            float[] panel = ws.panel(rows * nr);
            for (int n = from; n < to; n++) {
                if (bias != null) {
                    for (int f = 0; f < filters; f++) {
                        Arrays.fill(out, (n * filters + f) * cols, (n * filters + f + 1) * cols, bias[f]);
                    }
                }
                for (int p0 = 0; p0 < cols; p0 += nr) {
                    im2col.packPanel(x, n * imageSize, p0, nr, panel);
                    ws.gemm.multiplyAddPacked(filters, Math.min(nr, cols - p0), rows, packedW, panel, out,
                            n * filters * cols + p0, cols);
                }
            }
        });
        return out;
    }

    /** Stride-1 float32 convolution by {@link ImplicitConv} in the layout it picks, images split between threads. */
    private float[] implicitConv2d(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias,
                                   ConvGeometry geometry) {
        ImplicitConv conv = new ImplicitConv(xShape, wShape[2], wShape[3], geometry);
        int filters = wShape[0];
        int imageSize = xShape[1] * xShape[2] * xShape[3];
        int outputSize = filters * geometry.outH(xShape[2], wShape[2]) * geometry.outW(xShape[3], wShape[3]);
        float[] out = new float[xShape[0] * outputSize];
        ImplicitConv.Strategy strategy = conv.strategy(filters, kernels);
        float[] filterOperand = conv.filterOperand(strategy, w, filters, workspaces.get().gemm);
        parallel.forRange(xShape[0], (long) outputSize * conv.taps(), (from, to) -> {
            Workspace ws = workspaces.get();
            for (int n = from; n < to; n++) {
                conv.forward(strategy, x, n * imageSize, filterOperand, filters, bias, ws, kernels, out,
                        n * outputSize);
            }
        });
        return out;
    }

    /** The input gradient: gradOut [N,F,OH,OW] correlated back through the filter onto [N,C,H,W]. */
    CpuStorage backwardInput(Storage gradOut, int[] gradShape, Storage w, int[] wShape, int[] inputShape,
                             ConvGeometry geometry) {
        CpuStorage grad = cpu(gradOut, "gradOut");
        CpuStorage filter = sameDtype(grad, cpu(w, "w"), "w");
        requireSize(filter, wShape, "w");
        requireGradOut(grad, gradShape, inputShape, wShape, geometry);
        if (grad instanceof CpuStorage.F64 dg) {
            double[] out = new double[size(inputShape)];
            new Conv64(inputShape, wShape, geometry).backwardInput(dg.data(), ((CpuStorage.F64) filter).data(), out);
            return new CpuStorage.F64(out);
        }
        float[] g = ((CpuStorage.F32) grad).data();
        float[] wt = ((CpuStorage.F32) filter).data();
        int kh = wShape[2];
        int kw = wShape[3];
        if (BatchColumnsConv.suits(gradShape[2], gradShape[3])) {
            return new CpuStorage.F32(new BatchColumnsConv(inputShape, wShape, geometry, parallel, kernels, workspaces)
                    .inputGradient(g, wt));
        }
        if (geometry.strideH() == 1 && geometry.strideW() == 1 && geometry.padH() < kh && geometry.padW() < kw) {
            // With stride 1 the input gradient is itself a convolution: of gradOut with the filter flipped in
            // space and with F and C swapped, padded by k − 1 − p. It then runs on the forward GEMM path.
            int[] flippedShape = {wShape[1], wShape[0], kh, kw};
            return new CpuStorage.F32(conv2d(g, gradShape, flipFilter(wt, wShape), flippedShape, null,
                    new ConvGeometry(1, 1, kh - 1 - geometry.padH(), kw - 1 - geometry.padW())));
        }
        Im2col im2col = new Im2col(inputShape, kh, kw, geometry);
        int filters = wShape[0];
        int rows = im2col.rows();
        int cols = im2col.cols();
        int imageSize = inputShape[1] * inputShape[2] * inputShape[3];
        float[] out = new float[size(inputShape)];
        // dCol = Wᵀ·gradOut[n] with W viewed as [F, C·KH·KW]; col2im then folds dCol onto the image.
        parallel.forRange(inputShape[0], (long) filters * rows * cols, (from, to) -> {
            Workspace ws = workspaces.get();
            float[] col = ws.panel(rows * cols);
            for (int n = from; n < to; n++) {
                Arrays.fill(col, 0, rows * cols, 0f);
                ws.gemm.multiplyAdd(rows, cols, filters, Gemm.Matrix.transposeOf(wt, 0, rows),
                        Gemm.Matrix.of(g, n * filters * cols, cols), col, 0, cols);
                im2col.scatterAdd(col, out, n * imageSize);
            }
        });
        return new CpuStorage.F32(out);
    }

    /** w'[c, f, i, j] = w[f, c, KH−1−i, KW−1−j]. */
    private static float[] flipFilter(float[] w, int[] wShape) {
        int filters = wShape[0];
        int channels = wShape[1];
        int kh = wShape[2];
        int kw = wShape[3];
        float[] out = new float[w.length];
        for (int f = 0; f < filters; f++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        out[((c * filters + f) * kh + i) * kw + j] = w[((f * channels + c) * kh + kh - 1 - i) * kw + kw - 1 - j];
                    }
                }
            }
        }
        return out;
    }
}
