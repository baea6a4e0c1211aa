package antidote.tensor;

import antidote.backend.Backend;
import antidote.backend.Backends;
import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.backend.UnaryOp;
import antidote.core.DType;
import antidote.core.Device;
import antidote.grad.Node;
import antidote.op.BinaryOps;
import antidote.op.ChannelOps;
import antidote.op.CompareOps;
import antidote.op.ConvOps;
import antidote.op.LinalgOps;
import antidote.op.LossOps;
import antidote.op.MovementOps;
import antidote.op.NormOps;
import antidote.op.ReduceOps;
import antidote.op.SelectOps;
import antidote.op.UnaryOps;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An immutable N-dimensional array (row-major, float32 or float64) on a {@link Device}. Every operation
 * returns a new tensor; when recording is on and an input needs a gradient, the result carries the
 * graph {@link Node} that made it. Primitive operations go through the op registry; the rest of this
 * API (softmax, crossEntropy, max pooling, ...) is composites of them and needs no derivative rules.
 */
public final class Tensor {
    private final Storage storage;
    private final Shape shape;
    private final Device device;
    private final Node node;
    private final boolean leafRequiresGrad;

    private Tensor(Storage storage, Shape shape, Device device, Node node, boolean leafRequiresGrad) {
        if (storage.size() != shape.size()) {
            throw new IllegalArgumentException("storage of " + storage.size() + " elements for shape " + shape);
        }
        this.storage = storage;
        this.shape = shape;
        this.device = device;
        this.node = node;
        this.leafRequiresGrad = leafRequiresGrad;
    }

    // ------------------------------------------------------------------ creation

    /** Wraps a kernel result with the graph node that made it (null for none): the dispatcher's alone. */
    static Tensor fromStorage(Storage storage, Shape shape, Device device, Node node) {
        return new Tensor(storage, shape, device, node, false);
    }

    /** A float32 tensor on the default device holding {@code data} in row-major order. */
    public static Tensor fromArray(float[] data, int... shape) {
        return fromArray(data, Shape.of(shape), Backends.defaultDevice());
    }

    /** A float64 tensor on the default device holding {@code data} in row-major order. */
    public static Tensor fromArray(double[] data, int... shape) {
        return fromArray(data, Shape.of(shape), Backends.defaultDevice());
    }

    public static Tensor fromArray(float[] data, Shape shape, Device device) {
        checkLength(data.length, shape);
        return new Tensor(Backends.get(device).fromArray(data.clone()), shape, device, null, false);
    }

    public static Tensor fromArray(double[] data, Shape shape, Device device) {
        checkLength(data.length, shape);
        return new Tensor(Backends.get(device).fromArray(data.clone()), shape, device, null, false);
    }

    private static void checkLength(int length, Shape shape) {
        if (length != shape.size()) {
            throw new ShapeException("fromArray: " + length + " values cannot fill shape " + shape + " ("
                    + shape.size() + " elements)");
        }
    }

    public static Tensor full(Shape shape, double value, DType dtype, Device device) {
        return new Tensor(Backends.get(device).full(dtype, shape.size(), value), shape, device, null, false);
    }

    /** Float32 zeros on the default device. */
    public static Tensor zeros(int... shape) {
        return full(Shape.of(shape), 0, DType.FLOAT32, Backends.defaultDevice());
    }

    /** Float32 ones on the default device. */
    public static Tensor ones(int... shape) {
        return full(Shape.of(shape), 1, DType.FLOAT32, Backends.defaultDevice());
    }

    /** A float32 scalar on the default device. */
    public static Tensor scalar(double value) {
        return full(Shape.scalar(), value, DType.FLOAT32, Backends.defaultDevice());
    }

    /** 0, 1, ..., n−1 as float32. */
    public static Tensor arange(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return fromArray(v, n);
    }

    /** Uniform [0, 1) float32 values drawn from {@code rng} on the host, so every backend sees the same numbers. */
    public static Tensor rand(RandomGenerator rng, int... shape) {
        float[] v = new float[Shape.of(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextFloat();
        }
        return fromArray(v, shape);
    }

    /** Standard normal float32 values drawn from {@code rng} on the host. */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        float[] v = new float[Shape.of(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return fromArray(v, shape);
    }

    /** Zeros with this tensor's shape, dtype and device. */
    public Tensor zerosLike() {
        return full(shape, 0, dtype(), device);
    }

    /** A constant with this tensor's dtype and device and the given shape. */
    public Tensor constant(double value, Shape shape) {
        return full(shape, value, dtype(), device);
    }

    // ------------------------------------------------------------------ properties

    public Shape shape() {
        return shape;
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int rank() {
        return shape.rank();
    }

    public int size() {
        return shape.size();
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Device device() {
        return device;
    }

    public Storage storage() {
        return storage;
    }

    public Backend backend() {
        return Backends.get(device);
    }

    /** The graph node that made this tensor, or null for a leaf or an untracked result. */
    public Node node() {
        return node;
    }

    /** True when gradients can flow to or through this tensor. */
    public boolean requiresGrad() {
        return leafRequiresGrad || node != null;
    }

    /** The same values as a leaf that gradients are computed for (a parameter, a perturbation δ). */
    public Tensor withGrad() {
        return new Tensor(storage, shape, device, null, true);
    }

    /** The same values, cut from the graph. */
    public Tensor detach() {
        return node == null && !leafRequiresGrad ? this : new Tensor(storage, shape, device, null, false);
    }

    public float[] toFloatArray() {
        return backend().toFloatArray(storage);
    }

    public double[] toDoubleArray() {
        return backend().toDoubleArray(storage);
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (size() != 1) {
            throw new ShapeException("item: tensor of shape " + shape + " has " + size() + " elements, not 1");
        }
        return toDoubleArray()[0];
    }

    /** A copy on another device (a leaf: the copy is not part of the graph). */
    public Tensor to(Device target) {
        if (target.equals(device)) {
            return this;
        }
        Backend b = Backends.get(target);
        Storage copy = dtype() == DType.FLOAT32 ? b.fromArray(toFloatArray()) : b.fromArray(toDoubleArray());
        return new Tensor(copy, shape, target, null, false);
    }

    /** Converts the element type; differentiable. */
    public Tensor to(DType target) {
        return target == dtype() ? this : Dispatch.apply(new MovementOps.Cast(target), this);
    }

    // ------------------------------------------------------------------ elementwise

    public Tensor neg() {
        return unary(UnaryOp.NEG, 0);
    }

    public Tensor exp() {
        return unary(UnaryOp.EXP, 0);
    }

    public Tensor log() {
        return unary(UnaryOp.LOG, 0);
    }

    public Tensor sqrt() {
        return unary(UnaryOp.SQRT, 0);
    }

    public Tensor abs() {
        return unary(UnaryOp.ABS, 0);
    }

    public Tensor pow(double exponent) {
        return unary(UnaryOp.POW, exponent);
    }

    public Tensor relu() {
        return unary(UnaryOp.RELU, 0);
    }

    public Tensor elu(double alpha) {
        return unary(UnaryOp.ELU, alpha);
    }

    public Tensor elu() {
        return elu(1.0);
    }

    /** With this tensor the output of {@code elu(alpha)}, alpha >= 0: the gradient for {@code gradOut}, fused. */
    public Tensor eluBackward(Tensor gradOut, double alpha) {
        return Dispatch.apply(new UnaryOps.EluBackward(alpha), this, gradOut);
    }

    public Tensor tanh() {
        return unary(UnaryOp.TANH, 0);
    }

    public Tensor sigmoid() {
        return unary(UnaryOp.SIGMOID, 0);
    }

    public Tensor square() {
        return mul(this);
    }

    private Tensor unary(UnaryOp kind, double param) {
        return Dispatch.apply(UnaryOps.of(kind, param), this);
    }

    public Tensor add(Tensor other) {
        return Dispatch.apply(new BinaryOps.Add(), this, other);
    }

    public Tensor sub(Tensor other) {
        return Dispatch.apply(new BinaryOps.Sub(), this, other);
    }

    public Tensor mul(Tensor other) {
        return Dispatch.apply(new BinaryOps.Mul(), this, other);
    }

    public Tensor div(Tensor other) {
        return Dispatch.apply(new BinaryOps.Div(), this, other);
    }

    /** Elementwise maximum; at ties the gradient goes to {@code this}. */
    public Tensor maximum(Tensor other) {
        return Dispatch.apply(new BinaryOps.Maximum(), this, other);
    }

    /** Elementwise minimum; at ties the gradient goes to {@code this}. */
    public Tensor minimum(Tensor other) {
        return Dispatch.apply(new BinaryOps.Minimum(), this, other);
    }

    public Tensor add(double c) {
        return add(constant(c, Shape.scalar()));
    }

    public Tensor sub(double c) {
        return sub(constant(c, Shape.scalar()));
    }

    public Tensor mul(double c) {
        return mul(constant(c, Shape.scalar()));
    }

    public Tensor div(double c) {
        return div(constant(c, Shape.scalar()));
    }

    /** Clamps to [lo, hi]; the gradient is 1 inside and at the bounds, 0 outside. */
    public Tensor clamp(double lo, double hi) {
        return maximum(constant(lo, Shape.scalar())).minimum(constant(hi, Shape.scalar()));
    }

    /** −1, 0 or 1; its gradient is zero everywhere by convention (it is built from comparisons). */
    public Tensor sign() {
        return gt(0).sub(lt(0));
    }

    // ------------------------------------------------------------------ comparisons (masks of 0 and 1)

    public Tensor eq(Tensor o) {
        return compare(BinaryOp.EQ, o);
    }

    public Tensor ne(Tensor o) {
        return compare(BinaryOp.NE, o);
    }

    public Tensor lt(Tensor o) {
        return compare(BinaryOp.LT, o);
    }

    public Tensor le(Tensor o) {
        return compare(BinaryOp.LE, o);
    }

    public Tensor gt(Tensor o) {
        return compare(BinaryOp.GT, o);
    }

    public Tensor ge(Tensor o) {
        return compare(BinaryOp.GE, o);
    }

    public Tensor gt(double c) {
        return gt(constant(c, Shape.scalar()));
    }

    public Tensor lt(double c) {
        return lt(constant(c, Shape.scalar()));
    }

    private Tensor compare(BinaryOp kind, Tensor other) {
        return Dispatch.apply(new CompareOps.Compare(kind), this, other);
    }

    /** Elementwise {@code this != 0 ? ifTrue : ifFalse}, all broadcast; {@code this} is a mask. */
    public Tensor where(Tensor ifTrue, Tensor ifFalse) {
        return Dispatch.apply(new SelectOps.Where(), this, ifTrue, ifFalse);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements, a scalar. */
    public Tensor sum() {
        return sum(false, allAxes());
    }

    public Tensor sum(boolean keepDim, int... axes) {
        return Dispatch.apply(new ReduceOps.Sum(axisMask(axes), keepDim), this);
    }

    public Tensor mean() {
        return sum().div(size());
    }

    public Tensor mean(boolean keepDim, int... axes) {
        boolean[] mask = axisMask(axes);
        int count = 1;
        for (int a = 0; a < rank(); a++) {
            if (mask[a]) {
                count *= shape.dim(a);
            }
        }
        return sum(keepDim, axes).div(count);
    }

    /** Maximum over axes; the gradient goes to the first maximal element (lowest flat index). */
    public Tensor max(boolean keepDim, int... axes) {
        boolean[] mask = axisMask(axes);
        int[] index = backend().argMax(storage, shape.dims(), mask);
        Shape kept = keptShape(mask);
        Tensor picked = take(index, kept);
        return keepDim ? picked : picked.reshape(droppedShape(mask));
    }

    /** Maximum of all elements. */
    public Tensor max() {
        return max(false, allAxes());
    }

    /** Indices of the maxima along {@code axis} (ties: first); for classification outputs. */
    public int[] argMax(int axis) {
        boolean[] mask = axisMask(axis);
        int[] flat = backend().argMax(storage, shape.dims(), mask);
        int stride = shape.strides()[shape.axis(axis)];
        int[] out = new int[flat.length];
        for (int i = 0; i < flat.length; i++) {
            out[i] = (flat[i] / stride) % shape.dim(axis);
        }
        return out;
    }

    /** Reduces a broadcast gradient back to {@code target}: sums leading axes and axes where target has 1. */
    public Tensor sumTo(Shape target) {
        if (shape.equals(target)) {
            return this;
        }
        int lead = rank() - target.rank();
        if (lead < 0) {
            throw new ShapeException("sumTo: cannot reduce " + shape + " to the larger rank " + target);
        }
        boolean[] mask = new boolean[rank()];
        boolean any = false;
        for (int a = 0; a < rank(); a++) {
            mask[a] = a < lead || (target.dim(a - lead) == 1 && shape.dim(a) != 1);
            any |= mask[a];
        }
        Tensor summed = any ? Dispatch.apply(new ReduceOps.Sum(mask, true), this) : this;
        return summed.reshape(target.dims());
    }

    private int[] allAxes() {
        int[] axes = new int[rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return axes;
    }

    private boolean[] axisMask(int... axes) {
        boolean[] mask = new boolean[rank()];
        for (int a : axes) {
            mask[shape.axis(a)] = true;
        }
        return mask;
    }

    private Shape keptShape(boolean[] mask) {
        int[] d = shape.dims();
        for (int a = 0; a < d.length; a++) {
            if (mask[a]) {
                d[a] = 1;
            }
        }
        return Shape.of(d);
    }

    private int[] droppedShape(boolean[] mask) {
        return Arrays.stream(allAxes()).filter(a -> !mask[a]).map(shape::dim).toArray();
    }

    // ------------------------------------------------------------------ movement

    /** Same elements, new shape; one dimension may be −1 and is inferred. */
    public Tensor reshape(int... dims) {
        Shape target = MovementOps.inferShape(shape, dims);
        return target.equals(shape) ? this : Dispatch.apply(new MovementOps.Reshape(target), this);
    }

    /** Flattens every dimension from {@code startAxis} on into one. */
    public Tensor flatten(int startAxis) {
        int start = shape.axis(startAxis);
        int[] d = new int[start + 1];
        for (int a = 0; a < start; a++) {
            d[a] = shape.dim(a);
        }
        d[start] = -1;
        return reshape(d);
    }

    public Tensor permute(int... perm) {
        return Dispatch.apply(new MovementOps.Permute(perm), this);
    }

    /** Swaps two axes. */
    public Tensor transpose(int axisA, int axisB) {
        int[] perm = allAxes();
        int a = shape.axis(axisA);
        int b = shape.axis(axisB);
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** Broadcasts to {@code dims} (NumPy rules; missing leading dims are added). */
    public Tensor expand(int... dims) {
        Shape target = Shape.of(dims);
        if (target.equals(shape)) {
            return this;
        }
        Shape.broadcast("expand", shape, target);
        Tensor x = this;
        if (rank() < target.rank()) {
            int[] d = new int[target.rank()];
            Arrays.fill(d, 1);
            System.arraycopy(shape.dims(), 0, d, target.rank() - rank(), rank());
            x = reshape(d);
        }
        return x.shape.equals(target) ? x : Dispatch.apply(new MovementOps.Expand(target), x);
    }

    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code axis}. */
    public Tensor slice(int axis, int start, int end) {
        int a = shape.axis(axis);
        int[] starts = new int[rank()];
        starts[a] = start;
        return slice(starts, shape.with(a, end - start).dims());
    }

    /** The box at {@code start} of extent {@code sizes}. */
    public Tensor slice(int[] start, int[] sizes) {
        return Dispatch.apply(new MovementOps.Slice(start.clone(), Shape.of(sizes)), this);
    }

    /** Pads with {@code value}: {@code before[a]} and {@code after[a]} elements on each axis. */
    public Tensor pad(int[] before, int[] after, double value) {
        return Dispatch.apply(new MovementOps.Pad(before.clone(), after.clone(), value), this);
    }

    /** Joins tensors along {@code axis}. */
    public static Tensor concat(int axis, List<Tensor> parts) {
        return Dispatch.apply(new MovementOps.Concat(axis), parts.toArray(new Tensor[0]));
    }

    /** The elements at flat row-major {@code index}, shaped as {@code outShape}. */
    public Tensor take(int[] index, Shape outShape) {
        return Dispatch.apply(new SelectOps.Take(index, outShape), this);
    }

    /** A tensor of {@code outShape} zeros with {@code this}'s elements added at flat {@code index}. */
    public Tensor scatterAdd(int[] index, Shape outShape) {
        return Dispatch.apply(new SelectOps.ScatterAdd(index, outShape), this);
    }

    /**
     * PyTorch's {@code gather}: {@code out[i][j]... = this[...][index[...]][...]} along {@code axis}, where
     * {@code index} has shape {@code indexShape} (equal to this shape except, possibly, along {@code axis}).
     */
    public Tensor gather(int axis, int[] index, Shape indexShape) {
        return take(SelectOps.gatherIndex(shape, shape.axis(axis), index, indexShape), indexShape);
    }

    // ------------------------------------------------------------------ linear algebra, convolution, pooling

    /** Matrix product of [M,K] by [K,N], or batched [B,M,K] by [B,K,N]. */
    public Tensor matmul(Tensor other) {
        return Dispatch.apply(new LinalgOps.Matmul(), this, other);
    }

    /** {@code x · Wᵀ + b} for x [N, in], W [out, in], b [out] or null (PyTorch's Linear). */
    public Tensor linear(Tensor weight, Tensor bias) {
        Tensor y = matmul(weight.transpose(0, 1));
        return bias == null ? y : y.add(bias);
    }

    /** 2-D cross-correlation, NCHW input, [F,C,KH,KW] filter, optional bias [F]. */
    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding) {
        ConvOps.Conv2d op = new ConvOps.Conv2d(ConvGeometry.of(stride, padding));
        return bias == null ? Dispatch.apply(op, this, weight) : Dispatch.apply(op, this, weight, bias);
    }

    /** The input gradient of conv2d as an op of its own ({@code this} is the output gradient). */
    public Tensor conv2dBackwardInput(Tensor weight, Shape inputShape, ConvGeometry geometry) {
        return Dispatch.apply(new ConvOps.Conv2dBackwardInput(geometry, inputShape), this, weight);
    }

    /** The filter gradient of conv2d as an op of its own ({@code this} is the conv input). */
    public Tensor conv2dBackwardFilter(Tensor gradOutput, Shape filterShape, ConvGeometry geometry) {
        return Dispatch.apply(new ConvOps.Conv2dBackwardFilter(geometry, filterShape), this, gradOutput);
    }

    /** Max pooling over NCHW; the gradient is scattered to each window's first maximum. */
    public Tensor maxPool2d(int kernel, int stride, int padding) {
        if (rank() != 4 || kernel < 1 || padding > kernel / 2) {
            throw new ShapeException("maxPool2d: needs an NCHW input and padding at most half the kernel (PyTorch's "
                    + "rule, so no window is all padding); got input " + shape + ", kernel " + kernel + ", padding "
                    + padding);
        }
        ConvGeometry g = ConvGeometry.of(stride, padding);
        int[] index = backend().maxPool2dArgMax(storage, shape.dims(), kernel, kernel, g);
        return take(index, Shape.of(dim(0), dim(1), g.outH(dim(2), kernel), g.outW(dim(3), kernel)));
    }

    /**
     * Average pooling over NCHW with zero padding counted in the average (PyTorch's default), written as
     * a convolution of each channel with a constant 1/k² filter.
     */
    public Tensor avgPool2d(int kernel, int stride, int padding) {
        int n = dim(0);
        int c = dim(1);
        Tensor perChannel = reshape(n * c, 1, dim(2), dim(3));
        Tensor filter = constant(1.0 / (kernel * kernel), Shape.of(1, 1, kernel, kernel));
        Tensor y = Dispatch.apply(new ConvOps.Conv2d(ConvGeometry.of(stride, padding)), perChannel, filter);
        return y.reshape(n, c, y.dim(2), y.dim(3));
    }

    // ------------------------------------------------------------------ losses and normalisation

    /** log(softmax(x)) along {@code axis}, computed stably as a fused primitive. */
    public Tensor logSoftmax(int axis) {
        return Dispatch.apply(new LossOps.LogSoftmax(shape.axis(axis)), this);
    }

    public Tensor softmax(int axis) {
        return logSoftmax(axis).exp();
    }

    /** Mean cross-entropy of logits [N, C] against integer labels in [0, C). */
    public Tensor crossEntropy(int[] labels) {
        return logSoftmax(1).gather(1, LossOps.checkLabels(shape, labels), Shape.of(labels.length, 1)).mean().neg();
    }

    /** Euclidean norm of all elements. */
    public Tensor l2Norm() {
        return square().sum().sqrt();
    }

    /** Batch normalisation with the batch's own statistics (biased variance) over every axis but 1. */
    public Tensor batchNormTrain(Tensor weight, Tensor bias, double eps) {
        return batchNormTrainWithStatistics(weight, bias, eps).output();
    }

    /**
     * As {@link #batchNormTrain}, also returning the batch mean and variance it normalised with (weight and bias
     * may be null for 1 and 0).
     */
    public BatchNormResult batchNormTrainWithStatistics(Tensor weight, Tensor bias, double eps) {
        Tensor moments = channelMoments();
        Tensor w = weight != null ? weight : constant(1, Shape.of(dim(1)));
        Tensor b = bias != null ? bias : constant(0, Shape.of(dim(1)));
        Tensor y = Dispatch.apply(new NormOps.BatchNorm(eps), this, moments, w, b);
        Tensor constant = moments.detach();
        return new BatchNormResult(y, channelView(constant.slice(0, 0, 1)), channelView(constant.slice(0, 1, 2)));
    }

    /**
     * The gradient of {@link #batchNormTrain}{@code (weight, ·, eps)} at this x for {@code gradOut}, batch
     * statistics included: a primitive, so it can be differentiated again.
     */
    public Tensor batchNormBackward(Tensor weight, Tensor gradOut, double eps) {
        Tensor moments = channelMoments();
        Tensor sums = Dispatch.apply(new NormOps.BatchNormGradSums(), this, moments, gradOut);
        return Dispatch.apply(new NormOps.BatchNormBackward(eps), this, moments, weight, gradOut, sums);
    }

    /** [2, C]: each channel's mean, then its biased variance, over every axis but 1 (one fused pass). */
    public Tensor channelMoments() {
        return Dispatch.apply(new ChannelOps.ChannelMoments(), this);
    }

    /**
     * Batch normalisation with given running statistics (evaluation form); weight and bias may be null. As
     * x·scale + (bias − mean·scale) with both factors formed on the [C] vectors, the full-size work is one
     * fused pass ({@link #channelAffine}).
     */
    public Tensor batchNormEval(Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, double eps) {
        Tensor scale = runningVar.add(eps).pow(-0.5);
        if (weight != null) {
            scale = scale.mul(weight);
        }
        Tensor shift = runningMean.mul(scale).neg();
        if (bias != null) {
            shift = shift.add(bias);
        }
        return channelAffine(scale, shift);
    }

    /** {@code x·scale + shift} per channel (axis 1), with scale and shift of C elements; shift may be null (0). */
    public Tensor channelAffine(Tensor scale, Tensor shift) {
        ChannelOps.ChannelAffine op = new ChannelOps.ChannelAffine();
        return shift == null ? Dispatch.apply(op, this, scale) : Dispatch.apply(op, this, scale, shift);
    }

    /** Σ this·other per channel (axis 1) over every other axis, C elements; both tensors shaped alike. */
    public Tensor channelDot(Tensor other) {
        return Dispatch.apply(new ChannelOps.ChannelDot(), this, other);
    }

    /** Axes other than the channel axis 1. */
    public int[] nonChannelAxes() {
        return Arrays.stream(allAxes()).filter(a -> a != 1).toArray();
    }

    /** A per-channel vector [C] shaped to broadcast against this tensor along axis 1. */
    public Tensor channelView(Tensor perChannel) {
        int[] d = new int[rank()];
        Arrays.fill(d, 1);
        d[1] = perChannel.size();
        return perChannel.reshape(d);
    }

    /**
     * Inverted dropout: zeroes each element with probability p using {@code rng} (one {@code nextLong} per
     * element, tested as {@code nextDouble} would be), scales the rest by 1/(1−p).
     */
    public Tensor dropout(double p, RandomGenerator rng) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout: probability must be in [0, 1), got " + p);
        }
        return p == 0 ? this : mul(DropoutMask.draw(p, rng, shape, dtype(), device));
    }

    // ------------------------------------------------------------------ printing

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ')
                .append(dtype().name().toLowerCase(java.util.Locale.ROOT)).append(" on ").append(device);
        if (requiresGrad()) {
            sb.append(node != null ? " (grad: " + node.op().name() + ")" : " (requires grad)");
        }
        sb.append('\n');
        TensorFormat.append(sb, toDoubleArray(), shape);
        return sb.toString();
    }
}
