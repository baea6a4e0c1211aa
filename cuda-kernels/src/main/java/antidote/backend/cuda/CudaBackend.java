package antidote.backend.cuda;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.backend.UnaryOp;
import antidote.core.DType;
import antidote.core.Device;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Backend} of one NVIDIA GPU: float32 and float64 kernels from src/main/cuda, GEMM through cuBLAS
 * and float32 convolution through cuDNN when those libraries load (the log says which path was taken). Created
 * by {@link CudaProvider}; every method makes the device's context current on the calling thread first.
 */
public final class CudaBackend implements Backend {
    // A buffer whose tensor is dropped returns to the pool through the Cleaner, possibly while a method here
    // still uses its address; reachabilityFence (here, in KernelArgs and in the cuBLAS/cuDNN paths) keeps each
    // input alive until its copy or kernel is queued, after which the stream's order protects it.
    private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());
    /**
     * Up to this many elements per output, sum and argMax run one thread per output, in the reference's order;
     * above it, one block per output, which would otherwise leave most of its threads idle.
     */
    private static final int SERIAL_REDUCE_LIMIT = 32;

    private final Gpu gpu;
    private final Device device;
    private final Gemm gemm;
    private final Convolution convolution;

    private CudaBackend(Gpu gpu, Loaded<Cublas> cublas, Loaded<Cudnn> cudnn) {
        this.gpu = gpu;
        this.device = new Device("cuda", gpu.index());
        this.gemm = new Gemm(gpu, cublas);
        this.convolution = new Convolution(gpu, cudnn);
        LOG.log(System.Logger.Level.INFO, "{0}: GEMM via {1}; convolution via {2}", gpu, gemm.path(),
                convolution.path());
    }

    /** The backend of {@code gpu} with cuBLAS and cuDNN wherever they load. */
    static CudaBackend withVendorLibraries(CudaContext gpu) {
        gpu.enter();
        return new CudaBackend(gpu, Cublas.load(gpu), Cudnn.load(gpu));
    }

    /** The backend of {@code gpu} on the project's kernels alone (tests use it to check that path on any machine). */
    static CudaBackend ownKernelsOnly(Gpu gpu) {
        String why = "disabled (the project's kernels only)";
        return new CudaBackend(gpu, Loaded.disabled(why), Loaded.disabled(why));
    }

    @Override
    public Device device() {
        return device;
    }

    // ---- host transfer and creation

    @Override
    public Storage fromArray(float[] data) {
        gpu.enter();
        DeviceBuffer out = allocate(DType.FLOAT32, data.length);
        gpu.upload(out.pointer(), FloatBuffer.wrap(data));
        return out;
    }

    @Override
    public Storage fromArray(double[] data) {
        gpu.enter();
        DeviceBuffer out = allocate(DType.FLOAT64, data.length);
        gpu.upload(out.pointer(), DoubleBuffer.wrap(data));
        return out;
    }

    @Override
    public float[] toFloatArray(Storage x) {
        DeviceBuffer in = buffer(x);
        gpu.enter();
        if (in.dtype() == DType.FLOAT32) {
            float[] out = new float[in.size()];
            gpu.download(FloatBuffer.wrap(out), in.pointer());
            Reference.reachabilityFence(in);
            return out;
        }
        double[] wide = new double[in.size()];
        gpu.download(DoubleBuffer.wrap(wide), in.pointer());
        Reference.reachabilityFence(in);
        float[] out = new float[wide.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) wide[i];
        }
        return out;
    }

    @Override
    public double[] toDoubleArray(Storage x) {
        DeviceBuffer in = buffer(x);
        gpu.enter();
        if (in.dtype() == DType.FLOAT64) {
            double[] out = new double[in.size()];
            gpu.download(DoubleBuffer.wrap(out), in.pointer());
            Reference.reachabilityFence(in);
            return out;
        }
        float[] narrow = new float[in.size()];
        gpu.download(FloatBuffer.wrap(narrow), in.pointer());
        Reference.reachabilityFence(in);
        double[] out = new double[narrow.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = narrow[i];
        }
        return out;
    }

    @Override
    public Storage full(DType dtype, int size, double value) {
        gpu.enter();
        return filled(dtype, size, value);
    }

    @Override
    public Storage cast(Storage x, DType dtype) {
        DeviceBuffer in = buffer(x);
        gpu.enter();
        DeviceBuffer out = allocate(dtype, in.size());
        if (dtype == in.dtype()) {
            gpu.copy(out.pointer(), in.pointer(), in.bytes());
            Reference.reachabilityFence(in);
        } else {
            gpu.launch(Kernel.CAST, dtype, in.size(), new KernelArgs().buffer(in).buffer(out).i(in.size()));
        }
        return out;
    }

    // ---- elementwise

    @Override
    public Storage unary(UnaryOp op, Storage x, double param) {
        DeviceBuffer in = buffer(x);
        gpu.enter();
        DeviceBuffer out = allocate(in.dtype(), in.size());
        gpu.launch(Kernel.UNARY, in.dtype(), in.size(),
                new KernelArgs().i(OpCodes.of(op)).buffer(in).buffer(out).i(in.size()).d(param));
        return out;
    }

    @Override
    public Storage binary(BinaryOp op, Storage a, int[] aShape, Storage b, int[] bShape, int[] outShape) {
        DeviceBuffer left = buffer(a);
        DeviceBuffer right = buffer(b);
        gpu.enter();
        int n = size(outShape);
        DeviceBuffer out = allocate(left.dtype(), n);
        int[] layout = Layout.broadcast(outShape, aShape, bShape).pack("binary");
        gpu.launch(Kernel.BINARY, left.dtype(), n,
                new KernelArgs().i(OpCodes.of(op)).buffer(left).buffer(right).buffer(out).i(n).struct(layout));
        return out;
    }

    @Override
    public Storage where(Storage cond, int[] condShape, Storage a, int[] aShape, Storage b, int[] bShape,
                         int[] outShape) {
        DeviceBuffer c = buffer(cond);
        DeviceBuffer ifTrue = buffer(a);
        DeviceBuffer ifFalse = buffer(b);
        gpu.enter();
        int n = size(outShape);
        DeviceBuffer out = allocate(ifTrue.dtype(), n);
        int[] layout = Layout.broadcast(outShape, condShape, aShape, bShape).pack("where");
        gpu.launch(Kernel.WHERE, ifTrue.dtype(), n,
                new KernelArgs().buffer(c).buffer(ifTrue).buffer(ifFalse).buffer(out).i(n).struct(layout));
        return out;
    }

    // ---- reductions

    @Override
    public Storage sum(Storage x, int[] shape, boolean[] axes) {
        DeviceBuffer in = buffer(x);
        gpu.enter();
        Reduction r = new Reduction(shape, axes);
        if (r.reduceSize == 1) {
            return cast(in, in.dtype());
        }
        if (r.reduceSize == 0) {
            return filled(in.dtype(), r.outSize, 0);
        }
        DeviceBuffer out = allocate(in.dtype(), r.outSize);
        int[] kept = r.kept.pack("sum");
        int[] reduced = r.reduced.pack("sum");
        if (r.reduceSize <= SERIAL_REDUCE_LIMIT) {
            gpu.launch(Kernel.SUM_SERIAL, in.dtype(), r.outSize, new KernelArgs().buffer(in).buffer(out)
                    .i(r.outSize).i(r.reduceSize).struct(kept).struct(reduced));
        } else {
            gpu.launchBlocks(Kernel.SUM_BLOCKS, in.dtype(), r.outSize, new KernelArgs().buffer(in).buffer(out)
                    .i(r.reduceSize).struct(kept).struct(reduced));
        }
        return out;
    }

    @Override
    public int[] argMax(Storage x, int[] shape, boolean[] axes) {
        DeviceBuffer in = buffer(x);
        gpu.enter();
        Reduction r = new Reduction(shape, axes);
        int[] kept = r.kept.pack("argMax");
        int[] reduced = r.reduced.pack("argMax");
        try (ScratchBuffer out = ScratchBuffer.allocate(gpu, (long) r.outSize * Integer.BYTES)) {
            if (r.reduceSize <= SERIAL_REDUCE_LIMIT) {
                gpu.launch(Kernel.ARGMAX_SERIAL, in.dtype(), r.outSize, new KernelArgs().buffer(in)
                        .pointer(out.pointer()).i(r.outSize).i(r.reduceSize).struct(kept).struct(reduced));
            } else {
                gpu.launchBlocks(Kernel.ARGMAX_BLOCKS, in.dtype(), r.outSize, new KernelArgs().buffer(in)
                        .pointer(out.pointer()).i(r.reduceSize).struct(kept).struct(reduced));
            }
            return out.downloadInts(r.outSize);
        }
    }

    // ---- movement

    @Override
    public Storage permute(Storage x, int[] shape, int[] perm) {
        return gather(buffer(x), Layout.permute(shape, perm), "permute");
    }

    @Override
    public Storage expand(Storage x, int[] shape, int[] outShape) {
        return gather(buffer(x), Layout.expand(shape, outShape), "expand");
    }

    @Override
    public Storage slice(Storage x, int[] shape, int[] start, int[] outShape) {
        return gather(buffer(x), Layout.slice(shape, start, outShape), "slice");
    }

    /** out[i] = x[layout offset of i]: permute, expand and slice. */
    private Storage gather(DeviceBuffer in, Layout layout, String op) {
        gpu.enter();
        int n = layout.size();
        DeviceBuffer out = allocate(in.dtype(), n);
        gpu.launch(Kernel.GATHER, in.dtype(), n,
                new KernelArgs().buffer(in).buffer(out).i(n).struct(layout.pack(op)));
        return out;
    }

    @Override
    public Storage pad(Storage x, int[] shape, int[] before, int[] outShape, double value) {
        DeviceBuffer in = buffer(x);
        gpu.enter();
        DeviceBuffer out = filled(in.dtype(), size(outShape), value);
        scatter(in, shape, out, Layout.placed(shape, before, outShape), "pad");
        return out;
    }

    @Override
    public Storage concat(List<Storage> xs, List<int[]> shapes, int axis, int[] outShape) {
        List<DeviceBuffer> parts = xs.stream().map(this::buffer).toList();
        gpu.enter();
        DeviceBuffer out = allocate(parts.get(0).dtype(), size(outShape));
        int[] before = new int[outShape.length];
        for (int p = 0; p < parts.size(); p++) {
            int[] shape = shapes.get(p);
            scatter(parts.get(p), shape, out, Layout.placed(shape, before, outShape), "concat");
            before[axis] += shape[axis];
        }
        return out;
    }

    /** out[layout offset of i] = x[i], the layout iterating x's shape: pad and concat. */
    private void scatter(DeviceBuffer in, int[] shape, DeviceBuffer out, Layout layout, String op) {
        int n = size(shape);
        gpu.launch(Kernel.SCATTER, in.dtype(), n, new KernelArgs().buffer(in).buffer(out).i(n).struct(layout.pack(op)));
    }

    @Override
    public Storage take(Storage x, int[] index) {
        DeviceBuffer in = buffer(x);
        checkIndex("take", index, in.size());
        gpu.enter();
        DeviceBuffer out = allocate(in.dtype(), index.length);
        if (index.length > 0) {
            try (ScratchBuffer deviceIndex = ScratchBuffer.upload(gpu, index)) {
                gpu.launch(Kernel.TAKE, in.dtype(), index.length, new KernelArgs().buffer(in)
                        .pointer(deviceIndex.pointer()).buffer(out).i(index.length));
            }
        }
        return out;
    }

    /**
     * Deterministic without float atomics: the host sorts the source positions by destination (a stable
     * counting sort, so each destination keeps them in increasing order) and one GPU thread per destination
     * adds its sources in that order.
     */
    @Override
    public Storage scatterAdd(Storage src, int[] index, int outSize) {
        DeviceBuffer in = buffer(src);
        checkIndex("scatterAdd", index, outSize);
        if (index.length != in.size()) {
            throw new IllegalArgumentException("scatterAdd: " + index.length + " indices for " + in.size()
                    + " source elements");
        }
        gpu.enter();
        int[] grouped = groupByDestination(index, outSize);
        DeviceBuffer out = allocate(in.dtype(), outSize);
        if (outSize > 0) {
            try (ScratchBuffer deviceGroups = ScratchBuffer.upload(gpu, grouped)) {
                gpu.launch(Kernel.SCATTER_ADD, in.dtype(), outSize, new KernelArgs().buffer(in)
                        .pointer(deviceGroups.pointer().withByteOffset((long) (outSize + 1) * Integer.BYTES))
                        .pointer(deviceGroups.pointer()).buffer(out).i(outSize));
            }
        }
        return out;
    }

    /**
     * The sources of each destination, for scatter_add: {@code start[0..outSize]} followed by
     * {@code order[0..n-1]}, where destination j receives sources {@code order[start[j]] .. order[start[j+1] - 1]},
     * in increasing order (a stable counting sort).
     */
    static int[] groupByDestination(int[] index, int outSize) {
        int[] grouped = new int[outSize + 1 + index.length];
        for (int i : index) {
            grouped[i + 1]++;
        }
        for (int j = 0; j < outSize; j++) {
            grouped[j + 1] += grouped[j];
        }
        int[] next = Arrays.copyOf(grouped, outSize);
        for (int i = 0; i < index.length; i++) {
            grouped[outSize + 1 + next[index[i]]++] = i;
        }
        return grouped;
    }

    private static void checkIndex(String op, int[] index, int size) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= size) {
                throw new IndexOutOfBoundsException(op + ": index " + index[i] + " at position " + i
                        + " is outside a tensor of " + size + " elements");
            }
        }
    }

    // ---- linear algebra and convolution

    @Override
    public Storage matmul(Storage a, Storage b, int batch, int m, int k, int n) {
        DeviceBuffer left = buffer(a);
        DeviceBuffer right = buffer(b);
        gpu.enter();
        if (k == 0) {
            return filled(left.dtype(), batch * m * n, 0);
        }
        DeviceBuffer out = allocate(left.dtype(), batch * m * n);
        if (out.size() > 0) {
            gemm.multiply(left.dtype(), left, right, out, batch, m, k, n);
        }
        return out;
    }

    @Override
    public Storage conv2d(Storage x, int[] xShape, Storage w, int[] wShape, ConvGeometry geometry) {
        DeviceBuffer input = buffer(x);
        DeviceBuffer filter = buffer(w);
        gpu.enter();
        ConvShape s = ConvShape.of(xShape, wShape[0], wShape[2], wShape[3], geometry);
        int outputs = Math.toIntExact(s.outputSize());
        if (empty(s)) {
            return filled(input.dtype(), outputs, 0);
        }
        DeviceBuffer out = allocate(input.dtype(), outputs);
        convolution.forward(input.dtype(), s, input, filter, out);
        return out;
    }

    @Override
    public Storage conv2dBackwardInput(Storage gradOut, int[] gradShape, Storage w, int[] wShape, int[] inputShape,
                                       ConvGeometry geometry) {
        DeviceBuffer grad = buffer(gradOut);
        DeviceBuffer filter = buffer(w);
        gpu.enter();
        ConvShape s = ConvShape.of(inputShape, wShape[0], wShape[2], wShape[3], geometry);
        if (empty(s)) {
            return filled(grad.dtype(), size(inputShape), 0);
        }
        DeviceBuffer dx = allocate(grad.dtype(), size(inputShape));
        convolution.backwardInput(grad.dtype(), s, grad, filter, dx);
        return dx;
    }

    @Override
    public Storage conv2dBackwardFilter(Storage x, int[] xShape, Storage gradOut, int[] gradShape, int[] filterShape,
                                        ConvGeometry geometry) {
        DeviceBuffer input = buffer(x);
        DeviceBuffer grad = buffer(gradOut);
        gpu.enter();
        ConvShape s = ConvShape.of(xShape, filterShape[0], filterShape[2], filterShape[3], geometry);
        if (empty(s)) {
            return filled(input.dtype(), size(filterShape), 0);
        }
        DeviceBuffer dw = allocate(input.dtype(), size(filterShape));
        convolution.backwardFilter(input.dtype(), s, input, grad, dw);
        return dw;
    }

    /** A convolution with an empty dimension: every output is a sum of nothing, and cuDNN rejects it. */
    private static boolean empty(ConvShape s) {
        return (long) s.n() * s.c() * s.h() * s.w() * s.f() * s.kh() * s.kw() * s.oh() * s.ow() == 0;
    }

    @Override
    public int[] maxPool2dArgMax(Storage x, int[] xShape, int kernelH, int kernelW, ConvGeometry geometry) {
        DeviceBuffer in = buffer(x);
        gpu.enter();
        // Pooling keeps the channels: F = C in the output [N,C,OH,OW].
        ConvShape s = ConvShape.of(xShape, xShape[1], kernelH, kernelW, geometry);
        int outputs = Math.toIntExact(s.outputSize());
        try (ScratchBuffer out = ScratchBuffer.allocate(gpu, (long) outputs * Integer.BYTES)) {
            gpu.launch(Kernel.MAX_POOL2D_ARGMAX, in.dtype(), outputs,
                    new KernelArgs().buffer(in).pointer(out.pointer()).struct(s.pack()));
            return out.downloadInts(outputs);
        }
    }

    @Override
    public Storage logSoftmax(Storage x, int outer, int n, int inner) {
        DeviceBuffer in = buffer(x);
        gpu.enter();
        DeviceBuffer out = allocate(in.dtype(), in.size());
        gpu.launch(Kernel.LOG_SOFTMAX, in.dtype(), (long) outer * inner,
                new KernelArgs().buffer(in).buffer(out).i(outer).i(n).i(inner));
        return out;
    }

    /** Bytes of device memory held by live buffers now (the pool's cache of released blocks not included). */
    public long liveBytes() {
        return gpu.pool().liveBytes();
    }

    /** The most bytes live buffers held at once since the backend was made or {@link #resetPeakBytes} last ran. */
    public long peakBytes() {
        return gpu.pool().peakLiveBytes();
    }

    /** Starts a new peak ({@link #peakBytes}) from the bytes live now. */
    public void resetPeakBytes() {
        gpu.pool().resetPeak();
    }

    /** What a report records about this device: the GPU's name and versions, and which GEMM and convolution run. */
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>(gpu.properties());
        p.put("gemm", gemm.path());
        p.put("convolution", convolution.path());
        return p;
    }

    @Override
    public String toString() {
        return "CudaBackend[" + gpu + "; GEMM via " + gemm.path() + "; convolution via " + convolution.path() + "]";
    }

    // ---- helpers

    private DeviceBuffer allocate(DType dtype, int size) {
        return DeviceBuffer.allocate(gpu.pool(), dtype, size);
    }

    private DeviceBuffer filled(DType dtype, int size, double value) {
        DeviceBuffer out = allocate(dtype, size);
        gpu.launch(Kernel.FILL, dtype, size, new KernelArgs().buffer(out).i(size).d(value));
        return out;
    }

    /** The device buffer behind {@code storage}, which must come from this backend's device. */
    private DeviceBuffer buffer(Storage storage) {
        if (!(storage instanceof DeviceBuffer buffer)) {
            throw new IllegalArgumentException("cuda backend given storage of another backend (" + storage
                    + "); move the tensor to " + device + " first");
        }
        if (buffer.pool() != gpu.pool()) {
            throw new IllegalArgumentException("storage " + buffer + " lives on another GPU than " + device
                    + "; move the tensor to " + device + " first");
        }
        return buffer;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
