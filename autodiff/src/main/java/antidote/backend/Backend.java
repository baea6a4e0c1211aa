package antidote.backend;

import antidote.core.DType;
import antidote.core.Device;

import java.util.List;

/**
 * The narrow set of kernels a device implements. Kernels read and write opaque {@link Storage}, know
 * nothing of gradients, and receive shapes as row-major dimension arrays. Inputs are never modified.
 * {@code ReferenceBackend} in the test-jar is the executable specification of every method.
 */
public interface Backend {

    Device device();

    // ---- host transfer and creation
    Storage fromArray(float[] data);

    Storage fromArray(double[] data);

    float[] toFloatArray(Storage x);

    double[] toDoubleArray(Storage x);

    Storage full(DType dtype, int size, double value);

    Storage cast(Storage x, DType dtype);

    // ---- elementwise
    Storage unary(UnaryOp op, Storage x, double param);

    /** Elementwise with NumPy broadcasting of {@code aShape} and {@code bShape} to {@code outShape}. */
    Storage binary(BinaryOp op, Storage a, int[] aShape, Storage b, int[] bShape, int[] outShape);

    /** {@code cond != 0 ? a : b}, all three broadcast to {@code outShape}. */
    Storage where(Storage cond, int[] condShape, Storage a, int[] aShape, Storage b, int[] bShape, int[] outShape);

    // ---- reductions
    /** Sum over the axes flagged in {@code axes}; the result has the keepdim shape (flagged axes of size 1). */
    Storage sum(Storage x, int[] shape, boolean[] axes);

    /**
     * For each position of the keepdim result of reducing {@code axes}, the flat index into {@code x} of
     * the maximum; ties go to the lowest flat index, a NaN counts as the maximum.
     */
    int[] argMax(Storage x, int[] shape, boolean[] axes);

    // ---- movement
    Storage permute(Storage x, int[] shape, int[] perm);

    /** Broadcasts {@code x} (same rank as {@code outShape}, size-1 dims stretched) to {@code outShape}. */
    Storage expand(Storage x, int[] shape, int[] outShape);

    /** The box starting at {@code start} with extent {@code outShape}. */
    Storage slice(Storage x, int[] shape, int[] start, int[] outShape);

    /** Places {@code x} at offset {@code before} inside a tensor of {@code outShape} filled with {@code value}. */
    Storage pad(Storage x, int[] shape, int[] before, int[] outShape, double value);

    /** Joins tensors along {@code axis}; all shapes agree elsewhere. */
    Storage concat(List<Storage> xs, List<int[]> shapes, int axis, int[] outShape);

    /** {@code out[i] = x[index[i]]}. */
    Storage take(Storage x, int[] index);

    /** {@code out} of {@code outSize} zeros, then {@code out[index[i]] += src[i]} in order of i. */
    Storage scatterAdd(Storage src, int[] index, int outSize);

    // ---- linear algebra and convolution
    /** {@code batch} independent products of [m,k] by [k,n] row-major matrices. */
    Storage matmul(Storage a, Storage b, int batch, int m, int k, int n);

    /** Cross-correlation of x [N,C,H,W] with w [F,C,KH,KW] (no bias), as PyTorch's conv2d. */
    Storage conv2d(Storage x, int[] xShape, Storage w, int[] wShape, ConvGeometry geometry);

    /** conv2d plus a bias of F elements added to each filter's output plane (PyTorch's conv2d with a bias). */
    default Storage conv2dBias(Storage x, int[] xShape, Storage w, int[] wShape, Storage bias, ConvGeometry geometry) {
        int[] outShape = {xShape[0], wShape[0], geometry.outH(xShape[2], wShape[2]),
                geometry.outW(xShape[3], wShape[3])};
        return binary(BinaryOp.ADD, conv2d(x, xShape, w, wShape, geometry), outShape, bias,
                new int[] {1, wShape[0], 1, 1}, outShape);
    }

    /** Gradient of conv2d with respect to its input: gradOut [N,F,OH,OW] and w give [N,C,H,W] = inputShape. */
    Storage conv2dBackwardInput(Storage gradOut, int[] gradShape, Storage w, int[] wShape, int[] inputShape,
                                ConvGeometry geometry);

    /** Gradient of conv2d with respect to its filter: x and gradOut give [F,C,KH,KW] = filterShape. */
    Storage conv2dBackwardFilter(Storage x, int[] xShape, Storage gradOut, int[] gradShape, int[] filterShape,
                                 ConvGeometry geometry);

    /**
     * Max pooling's choice: for each output position [N,C,OH,OW] the flat index into x of the maximum
     * of its window (padding never wins; ties go to the first in row-major window order; a NaN wins).
     */
    int[] maxPool2dArgMax(Storage x, int[] xShape, int kernelH, int kernelW, ConvGeometry geometry);

    /** Numerically stable log-softmax over the middle axis of an [outer, n, inner] view. */
    Storage logSoftmax(Storage x, int outer, int n, int inner);

    /**
     * ELU's gradient from its output y for alpha >= 0 (where y > 0 exactly when x > 0):
     * {@code y > 0 ? g : g·(y + alpha)}, elementwise over equal sizes.
     */
    default Storage eluBackward(Storage y, Storage gradOut, double alpha) {
        int[] shape = {y.size()};
        int[] scalar = {};
        Storage positive = binary(BinaryOp.GT, y, shape, full(y.dtype(), 1, 0), scalar, shape);
        Storage slope = binary(BinaryOp.ADD, y, shape, full(y.dtype(), 1, alpha), scalar, shape);
        Storage scaled = binary(BinaryOp.MUL, gradOut, shape, slope, shape, shape);
        return where(positive, shape, gradOut, shape, scaled, shape, shape);
    }

    // ---- training-mode batch normalisation over axis 1 of x (rank >= 2), as fused kernels
    // The defaults compose the kernels above and define the results; a backend overrides them to save passes.

    /** [2, C]: each channel's mean, then its biased variance, over every axis of x but 1. */
    default Storage channelMoments(Storage x, int[] shape) {
        ChannelView v = ChannelView.of(shape);
        Storage mean = scale(sum(x, shape, v.reduced()), v.kept(), 1.0 / v.perChannel());
        Storage centered = binary(BinaryOp.SUB, x, shape, mean, v.kept(), shape);
        Storage squares = binary(BinaryOp.MUL, centered, shape, centered, shape, shape);
        Storage variance = scale(sum(squares, shape, v.reduced()), v.kept(), 1.0 / v.perChannel());
        int[] row = {1, v.channels()};
        return concat(List.of(mean, variance), List.of(row, row), 0, new int[] {2, v.channels()});
    }

    /**
     * {@code (x − mean)·r·weight + bias} per channel with {@code r = 1/√(variance + eps)}; moments as
     * {@link #channelMoments} returns them, weight and bias of C elements.
     */
    default Storage batchNorm(Storage x, int[] shape, Storage moments, Storage weight, Storage bias, double eps) {
        ChannelView v = ChannelView.of(shape);
        Storage centered = binary(BinaryOp.SUB, x, shape, v.row(this, moments, 0), v.kept(), shape);
        Storage factor = binary(BinaryOp.MUL, v.inverseStd(this, moments, eps), v.kept(), weight, v.kept(), v.kept());
        Storage scaled = binary(BinaryOp.MUL, centered, shape, factor, v.kept(), shape);
        return binary(BinaryOp.ADD, scaled, shape, bias, v.kept(), shape);
    }

    /**
     * [2, C]: Σg and Σg·(x − m) per channel, with m the means in moments: what {@link #batchNormBackward} and the
     * weight and bias gradients of {@link #batchNorm} are made of.
     */
    default Storage batchNormGradSums(Storage x, int[] shape, Storage moments, Storage gradOut) {
        ChannelView v = ChannelView.of(shape);
        Storage centered = binary(BinaryOp.SUB, x, shape, v.row(this, moments, 0), v.kept(), shape);
        int[] row = {1, v.channels()};
        return concat(List.of(sum(gradOut, shape, v.reduced()), channelDot(gradOut, centered, shape)),
                List.of(row, row), 0, new int[] {2, v.channels()});
    }

    /**
     * {@link #batchNorm}'s gradient with respect to x for {@code gradOut}, the batch statistics depending on x:
     * {@code weight·r·(g − mean(g) − x̂·mean(g·x̂))} per channel with {@code x̂ = (x − mean)·r}, from the sums
     * {@link #batchNormGradSums} gives for the same x and gradOut, as {@code (g − mean(g) − (x − m)·q)·weight·r}
     * with {@code q = r²·mean(g·(x − m))}.
     */
    default Storage batchNormBackward(Storage x, int[] shape, Storage moments, Storage weight, Storage gradOut,
                                      Storage gradSums, double eps) {
        ChannelView v = ChannelView.of(shape);
        int[] kept = v.kept();
        Storage r = v.inverseStd(this, moments, eps);
        Storage gradMean = scale(v.row(this, gradSums, 0), kept, 1.0 / v.perChannel());
        Storage q = binary(BinaryOp.MUL, scale(v.row(this, gradSums, 1), kept, 1.0 / v.perChannel()), kept,
                binary(BinaryOp.MUL, r, kept, r, kept, kept), kept, kept);
        Storage centered = binary(BinaryOp.SUB, x, shape, v.row(this, moments, 0), kept, shape);
        Storage projected = binary(BinaryOp.SUB,
                binary(BinaryOp.SUB, gradOut, shape, gradMean, kept, shape), shape,
                binary(BinaryOp.MUL, centered, shape, q, kept, shape), shape, shape);
        Storage factor = binary(BinaryOp.MUL, r, kept, weight, kept, kept);
        return binary(BinaryOp.MUL, projected, shape, factor, kept, shape);
    }

    /**
     * Per-channel sums for the VJP of {@link #batchNormBackward} along u (shaped like x), as [5, C]: Σg,
     * Σg·(x − m), Σu, Σu·g and Σu·(x − m), with m the means in moments.
     */
    default Storage batchNormSums(Storage x, int[] shape, Storage moments, Storage gradOut, Storage u) {
        ChannelView v = ChannelView.of(shape);
        Storage centered = binary(BinaryOp.SUB, x, shape, v.row(this, moments, 0), v.kept(), shape);
        List<Storage> sums = List.of(
                sum(gradOut, shape, v.reduced()),
                channelDot(gradOut, centered, shape),
                sum(u, shape, v.reduced()),
                channelDot(u, gradOut, shape),
                channelDot(u, centered, shape));
        int[] row = {1, v.channels()};
        return concat(sums, List.of(row, row, row, row, row), 0, new int[] {5, v.channels()});
    }

    /**
     * {@code (x − m)·kc + g·kg + u·ku + k0} per channel, with {@code coefficients} [5, C] holding the rows m, kc,
     * kg, ku and k0: the full-size part of the VJP of {@link #batchNormBackward}.
     */
    default Storage batchNormCombine(Storage x, int[] shape, Storage gradOut, Storage u, Storage coefficients) {
        ChannelView v = ChannelView.of(shape);
        int[] kept = v.kept();
        Storage centered = binary(BinaryOp.SUB, x, shape, v.row(this, coefficients, 5, 0), kept, shape);
        Storage sum = binary(BinaryOp.MUL, centered, shape, v.row(this, coefficients, 5, 1), kept, shape);
        sum = binary(BinaryOp.ADD, sum, shape,
                binary(BinaryOp.MUL, gradOut, shape, v.row(this, coefficients, 5, 2), kept, shape), shape, shape);
        sum = binary(BinaryOp.ADD, sum, shape,
                binary(BinaryOp.MUL, u, shape, v.row(this, coefficients, 5, 3), kept, shape), shape, shape);
        return binary(BinaryOp.ADD, sum, shape, v.row(this, coefficients, 5, 4), kept, shape);
    }

    /**
     * {@code x·scale + shift} per channel of x (rank >= 2, channels on axis 1), scale and shift of C elements;
     * a null shift is 0. Evaluation-mode batch normalisation and its input gradient.
     */
    default Storage channelAffine(Storage x, int[] shape, Storage scale, Storage shift) {
        ChannelView v = ChannelView.of(shape);
        Storage scaled = binary(BinaryOp.MUL, x, shape, scale, v.kept(), shape);
        return shift == null ? scaled : binary(BinaryOp.ADD, scaled, shape, shift, v.kept(), shape);
    }

    /** Σ a·b per channel over every axis but 1 (a and b shaped alike), C elements: channelAffine's scale gradient. */
    default Storage channelDot(Storage a, Storage b, int[] shape) {
        return sum(binary(BinaryOp.MUL, a, shape, b, shape, shape), shape, ChannelView.of(shape).reduced());
    }

    /** x·factor for a scalar factor. */
    private Storage scale(Storage x, int[] shape, double factor) {
        return binary(BinaryOp.MUL, x, shape, full(x.dtype(), 1, factor), new int[0], shape);
    }
}
