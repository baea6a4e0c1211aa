package antidote.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnDeterminism;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnMathType;
import jcuda.jcudnn.cudnnStatus;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import jcuda.runtime.cudaStream_t;

/**
 * cuDNN's float32 convolutions through JCudnn 11.7.0 (needs {@code libcudnn.so.8}). Only constructed by
 * {@link #load}. Algorithms are chosen by cuDNN's heuristics among the deterministic ones without tensor-core
 * math (TF32 would round inputs to 10 mantissa bits); when no such algorithm exists for a shape, the call
 * returns false and the caller uses the project's kernels. Calls are serialised: a cuDNN handle must not be
 * used by two threads at once.
 */
final class Cudnn {
    /** How many ranked algorithms to ask the heuristics for. */
    private static final int CANDIDATES = 8;
    /** Algorithms that want more workspace than this are passed over, rather than risk running out of memory. */
    private static final long MAX_WORKSPACE_BYTES = 512L << 20;

    private final CudaContext gpu;
    private final cudnnHandle handle = new cudnnHandle();
    private final String version;

    private Cudnn(CudaContext gpu) {
        this.gpu = gpu;
        JCudnn.setExceptionsEnabled(true);
        JCudnn.cudnnCreate(handle);
        JCudnn.cudnnSetStream(handle, new cudaStream_t(gpu.stream));
        long v = JCudnn.cudnnGetVersion();
        version = "cuDNN " + v / 1000 + "." + v / 100 % 10 + "." + v % 100;
    }

    /** cuDNN on {@code gpu}'s stream, or the reason it is unavailable. */
    static Loaded<Cudnn> load(CudaContext gpu) {
        try {
            return Loaded.of(new Cudnn(gpu));
        } catch (LinkageError | RuntimeException e) {
            return Loaded.failed(e);
        }
    }

    /** y = conv2d(x, w); false when cuDNN offers no deterministic algorithm for this shape. */
    synchronized boolean forward(ConvShape s, CUdeviceptr x, CUdeviceptr w, CUdeviceptr y) {
        try (Descriptors d = new Descriptors(s)) {
            cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[CANDIDATES];
            for (int i = 0; i < perf.length; i++) {
                perf[i] = new cudnnConvolutionFwdAlgoPerf();
            }
            int[] found = new int[1];
            JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(handle, d.x, d.w, d.conv, d.y, CANDIDATES, found, perf);
            for (int i = 0; i < found[0]; i++) {
                if (usable(perf[i].status, perf[i].determinism, perf[i].mathType, perf[i].memory)) {
                    try (ScratchBuffer workspace = ScratchBuffer.allocate(gpu, perf[i].memory)) {
                        JCudnn.cudnnConvolutionForward(handle, one(), d.x, x, d.w, w, d.conv, perf[i].algo,
                                workspace.pointer(), perf[i].memory, zero(), d.y, y);
                    }
                    return true;
                }
            }
            return false;
        }
    }

    /** dx = the gradient of conv2d with respect to its input; false when no deterministic algorithm exists. */
    synchronized boolean backwardInput(ConvShape s, CUdeviceptr dy, CUdeviceptr w, CUdeviceptr dx) {
        try (Descriptors d = new Descriptors(s)) {
            cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[CANDIDATES];
            for (int i = 0; i < perf.length; i++) {
                perf[i] = new cudnnConvolutionBwdDataAlgoPerf();
            }
            int[] found = new int[1];
            JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, d.w, d.y, d.conv, d.x, CANDIDATES, found, perf);
            for (int i = 0; i < found[0]; i++) {
                if (usable(perf[i].status, perf[i].determinism, perf[i].mathType, perf[i].memory)) {
                    try (ScratchBuffer workspace = ScratchBuffer.allocate(gpu, perf[i].memory)) {
                        JCudnn.cudnnConvolutionBackwardData(handle, one(), d.w, w, d.y, dy, d.conv, perf[i].algo,
                                workspace.pointer(), perf[i].memory, zero(), d.x, dx);
                    }
                    return true;
                }
            }
            return false;
        }
    }

    /** dw = the gradient of conv2d with respect to its filter; false when no deterministic algorithm exists. */
    synchronized boolean backwardFilter(ConvShape s, CUdeviceptr x, CUdeviceptr dy, CUdeviceptr dw) {
        try (Descriptors d = new Descriptors(s)) {
            cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[CANDIDATES];
            for (int i = 0; i < perf.length; i++) {
                perf[i] = new cudnnConvolutionBwdFilterAlgoPerf();
            }
            int[] found = new int[1];
            JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(handle, d.x, d.y, d.conv, d.w, CANDIDATES, found,
                    perf);
            for (int i = 0; i < found[0]; i++) {
                if (usable(perf[i].status, perf[i].determinism, perf[i].mathType, perf[i].memory)) {
                    try (ScratchBuffer workspace = ScratchBuffer.allocate(gpu, perf[i].memory)) {
                        JCudnn.cudnnConvolutionBackwardFilter(handle, one(), d.x, x, d.y, dy, d.conv, perf[i].algo,
                                workspace.pointer(), perf[i].memory, zero(), d.w, dw);
                    }
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A ranked candidate we accept. The heuristics may list tensor-op variants whatever the descriptor says;
     * those are skipped, and the rest run under the descriptor's FMA math type.
     */
    private static boolean usable(int status, int determinism, int mathType, long workspace) {
        return status == cudnnStatus.CUDNN_STATUS_SUCCESS && determinism == cudnnDeterminism.CUDNN_DETERMINISTIC
                && (mathType == cudnnMathType.CUDNN_FMA_MATH || mathType == cudnnMathType.CUDNN_DEFAULT_MATH)
                && workspace <= MAX_WORKSPACE_BYTES;
    }

    private static Pointer one() {
        return Pointer.to(new float[]{1});
    }

    private static Pointer zero() {
        return Pointer.to(new float[]{0});
    }

    @Override
    public String toString() {
        return version;
    }

    /** The four float32 NCHW descriptors of one convolution, destroyed on close. */
    private static final class Descriptors implements AutoCloseable {
        final cudnnTensorDescriptor x = new cudnnTensorDescriptor();
        final cudnnTensorDescriptor y = new cudnnTensorDescriptor();
        final cudnnFilterDescriptor w = new cudnnFilterDescriptor();
        final cudnnConvolutionDescriptor conv = new cudnnConvolutionDescriptor();

        Descriptors(ConvShape s) {
            int format = cudnnTensorFormat.CUDNN_TENSOR_NCHW;
            int type = cudnnDataType.CUDNN_DATA_FLOAT;
            JCudnn.cudnnCreateTensorDescriptor(x);
            JCudnn.cudnnCreateTensorDescriptor(y);
            JCudnn.cudnnCreateFilterDescriptor(w);
            JCudnn.cudnnCreateConvolutionDescriptor(conv);
            JCudnn.cudnnSetTensor4dDescriptor(x, format, type, s.n(), s.c(), s.h(), s.w());
            JCudnn.cudnnSetTensor4dDescriptor(y, format, type, s.n(), s.f(), s.oh(), s.ow());
            JCudnn.cudnnSetFilter4dDescriptor(w, type, format, s.f(), s.c(), s.kh(), s.kw());
            JCudnn.cudnnSetConvolution2dDescriptor(conv, s.g().padH(), s.g().padW(), s.g().strideH(), s.g().strideW(),
                    1, 1, cudnnConvolutionMode.CUDNN_CROSS_CORRELATION, type);
            // FMA math: plain float32 multiply-adds, no TF32 tensor cores.
            JCudnn.cudnnSetConvolutionMathType(conv, cudnnMathType.CUDNN_FMA_MATH);
        }

        @Override
        public void close() {
            JCudnn.cudnnDestroyConvolutionDescriptor(conv);
            JCudnn.cudnnDestroyFilterDescriptor(w);
            JCudnn.cudnnDestroyTensorDescriptor(y);
            JCudnn.cudnnDestroyTensorDescriptor(x);
        }
    }
}
