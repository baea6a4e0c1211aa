package antidote.backend.cpu;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.backend.UnaryOp;
import antidote.core.DType;
import antidote.core.Device;

import java.util.List;
import java.util.Objects;

import static antidote.backend.cpu.Checks.cpu;

/**
 * Float32 and float64 kernels on Java arrays, multi-threaded over a fixed pool: an adapter from {@link Backend}
 * to one class per kernel family ({@link Elementwise}, {@link Reductions}, {@link Movement}, {@link MatMul},
 * {@link Convolution}, {@link ConvFilterGradient}, {@link Pooling}, {@link BatchNormKernels}), which check
 * their arguments with {@link Checks}. Every kernel splits its work by output element (or by whole GEMM panels
 * of outputs) and adds each output's terms in one fixed order on one thread, except the filter gradient, whose
 * sum over images runs in a fixed number of chunks added in chunk order; so a result depends neither on the
 * scheduling nor on the thread count: 1, 2 or 3 threads give the same bits. Scalar math goes through
 * {@link UnaryOp#apply} and {@link BinaryOp#apply} in float64, rounded on store, exactly as the reference
 * backend does (the SIMD ELU aside: see {@link NegativeExpm1}).
 */
public final class CpuBackend implements Backend {
    /** Below this many scalar operations a kernel runs on the calling thread: a hand-off costs microseconds. */
    static final long DEFAULT_GRAIN = 1 << 15;

    private final Parallel parallel;
    private final Kernels kernels;
    private final Elementwise elementwise;
    private final Reductions reductions;
    private final Movement movement;
    private final MatMul matMul;
    private final Convolution convolution;
    private final ConvFilterGradient filterGradient;

    /**
     * A backend that uses {@code threads} threads, the calling one included, and the SIMD kernels when the JVM
     * has {@code --add-modules jdk.incubator.vector} (unless {@code -Dantidote.cpu.plain=true}).
     */
    public CpuBackend(int threads) {
        this(threads, DEFAULT_GRAIN, Boolean.getBoolean("antidote.cpu.plain"));
    }

    /** As {@link #CpuBackend(int)}, splitting any work of at least {@code grain} operations (tests force 1). */
    CpuBackend(int threads, long grain) {
        this(threads, grain, Boolean.getBoolean("antidote.cpu.plain"));
    }

    /** As {@link #CpuBackend(int, long)}; {@code plain} forces the plain-Java kernels (tests cover both paths). */
    CpuBackend(int threads, long grain, boolean plain) {
        this.parallel = new Parallel(threads, grain);
        this.kernels = Kernels.select(plain);
        ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(() -> new Workspace(kernels));
        this.elementwise = new Elementwise(parallel, kernels);
        this.reductions = new Reductions(parallel, kernels);
        this.movement = new Movement(parallel);
        this.matMul = new MatMul(parallel, workspaces);
        this.convolution = new Convolution(parallel, kernels, workspaces);
        this.filterGradient = new ConvFilterGradient(parallel, kernels, workspaces);
    }

    /** The number of threads kernels run on, the calling one included. */
    public int threads() {
        return parallel.threads();
    }

    /** True when this backend runs the SIMD kernels of {@code jdk.incubator.vector}. */
    public boolean vectorized() {
        return !(kernels instanceof PlainKernels);
    }

    @Override
    public String toString() {
        return "CpuBackend(" + parallel.threads() + " threads, " + (vectorized() ? "SIMD" : "plain") + ")";
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    // ---- host transfer and creation

    @Override
    public Storage fromArray(float[] data) {
        return new CpuStorage.F32(data.clone());
    }

    @Override
    public Storage fromArray(double[] data) {
        return new CpuStorage.F64(data.clone());
    }

    @Override
    public float[] toFloatArray(Storage x) {
        return cpu(x, "x").toFloatArray();
    }

    @Override
    public double[] toDoubleArray(Storage x) {
        return cpu(x, "x").toDoubleArray();
    }

    @Override
    public Storage full(DType dtype, int size, double value) {
        return CpuStorage.full(dtype, size, value);
    }

    @Override
    public Storage cast(Storage x, DType dtype) {
        return elementwise.cast(cpu(x, "x"), dtype);
    }

    // ---- elementwise

    @Override
    public Storage unary(UnaryOp op, Storage x, double param) {
        return elementwise.unary(op, cpu(x, "x"), param);
    }

    @Override
    public Storage binary(BinaryOp op, Storage a, int[] aShape, Storage b, int[] bShape, int[] outShape) {
        return elementwise.binary(op, a, aShape, b, bShape, outShape);
    }

    @Override
    public Storage where(Storage cond, int[] condShape, Storage a, int[] aShape, Storage b, int[] bShape,
                         int[] outShape) {
        return elementwise.where(cond, condShape, a, aShape, b, bShape, outShape);
    }

    @Override
    public Storage eluBackward(Storage y, Storage gradOut, double alpha) {
        if (cpu(y, "y") instanceof CpuStorage.F32 f) {
            return elementwise.eluBackward(f, gradOut, alpha);
        }
        return Backend.super.eluBackward(y, gradOut, alpha);
    }

    // ---- reductions

    @Override
    public Storage sum(Storage x, int[] shape, boolean[] axes) {
        return reductions.sum(cpu(x, "x"), shape, axes);
    }

    @Override
    public int[] argMax(Storage x, int[] shape, boolean[] axes) {
        return reductions.argMax(cpu(x, "x"), shape, axes);
    }

    @Override
    public Storage logSoftmax(Storage x, int outer, int n, int inner) {
        return reductions.logSoftmax(cpu(x, "x"), outer, n, inner);
    }

    // ---- movement

    @Override
    public Storage permute(Storage x, int[] shape, int[] perm) {
        return movement.permute(cpu(x, "x"), shape, perm);
    }

    @Override
    public Storage expand(Storage x, int[] shape, int[] outShape) {
        return movement.expand(cpu(x, "x"), shape, outShape);
    }

    @Override
    public Storage slice(Storage x, int[] shape, int[] start, int[] outShape) {
        return movement.slice(cpu(x, "x"), shape, start, outShape);
    }

    @Override
    public Storage pad(Storage x, int[] shape, int[] before, int[] outShape, double value) {
        return movement.pad(cpu(x, "x"), shape, before, outShape, value);
    }

    @Override
    public Storage concat(List<Storage> xs, List<int[]> shapes, int axis, int[] outShape) {
        return movement.concat(xs, shapes, axis, outShape);
    }

    @Override
    public Storage take(Storage x, int[] index) {
        return movement.take(cpu(x, "x"), index);
    }

    @Override
    public Storage scatterAdd(Storage src, int[] index, int outSize) {
        return movement.scatterAdd(cpu(src, "src"), index, outSize);
    }

    // ---- linear algebra, convolution and pooling

    @Override
    public Storage matmul(Storage a, Storage b, int batch, int m, int k, int n) {
        return matMul.multiply(a, b, batch, m, k, n);
    }

    @Override
    public Storage conv2d(Storage x, int[] xShape, Storage w, int[] wShape, ConvGeometry geometry) {
        return convolution.forward(x, xShape, w, wShape, null, geometry);
    }

    @Override
    public Storage conv2dBias(Storage x, int[] xShape, Storage w, int[] wShape, Storage bias, ConvGeometry geometry) {
        return convolution.forward(x, xShape, w, wShape, Objects.requireNonNull(bias, "bias"), geometry);
    }

    @Override
    public Storage conv2dBackwardInput(Storage gradOut, int[] gradShape, Storage w, int[] wShape, int[] inputShape,
                                      ConvGeometry geometry) {
        return convolution.backwardInput(gradOut, gradShape, w, wShape, inputShape, geometry);
    }

    @Override
    public Storage conv2dBackwardFilter(Storage x, int[] xShape, Storage gradOut, int[] gradShape, int[] filterShape,
                                       ConvGeometry geometry) {
        return filterGradient.compute(x, xShape, gradOut, gradShape, filterShape, geometry);
    }

    @Override
    public int[] maxPool2dArgMax(Storage x, int[] xShape, int kernelH, int kernelW, ConvGeometry geometry) {
        return Pooling.maxArgMax(parallel, cpu(x, "x"), xShape, kernelH, kernelW, geometry);
    }

    // ---- normalisation: the fused float32 kernels, or the composed defaults for other inputs

    @Override
    public Storage channelMoments(Storage x, int[] shape) {
        BatchNormKernels bn = normalisation(x, shape, "x");
        return bn == null ? Backend.super.channelMoments(x, shape) : bn.moments(x);
    }

    @Override
    public Storage batchNorm(Storage x, int[] shape, Storage moments, Storage weight, Storage bias, double eps) {
        BatchNormKernels bn = normalisation(x, shape, "x");
        return bn == null ? Backend.super.batchNorm(x, shape, moments, weight, bias, eps)
                : bn.forward(x, moments, weight, bias, eps);
    }

    @Override
    public Storage batchNormGradSums(Storage x, int[] shape, Storage moments, Storage gradOut) {
        BatchNormKernels bn = normalisation(x, shape, "x");
        return bn == null ? Backend.super.batchNormGradSums(x, shape, moments, gradOut)
                : bn.gradSums(x, moments, gradOut);
    }

    @Override
    public Storage batchNormBackward(Storage x, int[] shape, Storage moments, Storage weight, Storage gradOut,
                                     Storage gradSums, double eps) {
        BatchNormKernels bn = normalisation(x, shape, "x");
        return bn == null ? Backend.super.batchNormBackward(x, shape, moments, weight, gradOut, gradSums, eps)
                : bn.backward(x, moments, weight, gradOut, gradSums, eps);
    }

    @Override
    public Storage batchNormSums(Storage x, int[] shape, Storage moments, Storage gradOut, Storage u) {
        BatchNormKernels bn = normalisation(x, shape, "x");
        return bn == null ? Backend.super.batchNormSums(x, shape, moments, gradOut, u)
                : bn.secondOrderSums(x, moments, gradOut, u);
    }

    @Override
    public Storage batchNormCombine(Storage x, int[] shape, Storage gradOut, Storage u, Storage coefficients) {
        BatchNormKernels bn = normalisation(x, shape, "x");
        return bn == null ? Backend.super.batchNormCombine(x, shape, gradOut, u, coefficients)
                : bn.combine(x, gradOut, u, coefficients);
    }

    @Override
    public Storage channelAffine(Storage x, int[] shape, Storage scale, Storage shift) {
        BatchNormKernels bn = normalisation(x, shape, "x");
        return bn == null ? Backend.super.channelAffine(x, shape, scale, shift) : bn.affine(x, scale, shift);
    }

    @Override
    public Storage channelDot(Storage a, Storage b, int[] shape) {
        BatchNormKernels bn = normalisation(a, shape, "a");
        return bn == null ? Backend.super.channelDot(a, b, shape) : bn.dot(a, b);
    }

    private BatchNormKernels normalisation(Storage x, int[] shape, String what) {
        return BatchNormKernels.forInput(parallel, kernels, x, shape, what);
    }
}
