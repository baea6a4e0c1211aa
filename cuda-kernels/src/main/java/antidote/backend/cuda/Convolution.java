package antidote.backend.cuda;

import antidote.core.DType;

import java.lang.ref.Reference;

/**
 * The three convolution kernels: cuDNN for float32 when it loaded (and offers a deterministic algorithm for
 * the shape), otherwise the direct kernels of conv.cu. float64 always uses conv.cu.
 */
final class Convolution {
    private final Gpu gpu;
    private final Cudnn cudnn;
    private final String path;

    Convolution(Gpu gpu, Loaded<Cudnn> cudnn) {
        this.gpu = gpu;
        this.cudnn = cudnn.library();
        this.path = cudnn.isLoaded() ? cudnn.library() + " for float32, the project's direct kernels for float64"
                : "the project's direct kernels (cuDNN not used: " + cudnn.reason() + ")";
    }

    /** out [N,F,OH,OW] = conv2d(x, w). */
    void forward(DType dtype, ConvShape s, DeviceBuffer x, DeviceBuffer w, DeviceBuffer out) {
        if (dtype == DType.FLOAT32 && cudnn != null && cudnn.forward(s, x.pointer(), w.pointer(), out.pointer())) {
            keepAlive(x, w);
            return;
        }
        gpu.launch(Kernel.CONV2D_FORWARD, dtype, s.outputSize(),
                new KernelArgs().buffer(x).buffer(w).buffer(out).struct(s.pack()));
    }

    /** dx [N,C,H,W] from gradOut [N,F,OH,OW] and w. */
    void backwardInput(DType dtype, ConvShape s, DeviceBuffer gradOut, DeviceBuffer w, DeviceBuffer dx) {
        if (dtype == DType.FLOAT32 && cudnn != null
                && cudnn.backwardInput(s, gradOut.pointer(), w.pointer(), dx.pointer())) {
            keepAlive(gradOut, w);
            return;
        }
        gpu.launch(Kernel.CONV2D_BACKWARD_INPUT, dtype, (long) s.n() * s.c() * s.h() * s.w(),
                new KernelArgs().buffer(gradOut).buffer(w).buffer(dx).struct(s.pack()));
    }

    /** dw [F,C,KH,KW] from x and gradOut. */
    void backwardFilter(DType dtype, ConvShape s, DeviceBuffer x, DeviceBuffer gradOut, DeviceBuffer dw) {
        if (dtype == DType.FLOAT32 && cudnn != null
                && cudnn.backwardFilter(s, x.pointer(), gradOut.pointer(), dw.pointer())) {
            keepAlive(x, gradOut);
            return;
        }
        gpu.launchBlocks(Kernel.CONV2D_BACKWARD_FILTER, dtype, s.f() * s.c() * s.kh() * s.kw(),
                new KernelArgs().buffer(x).buffer(gradOut).buffer(dw).struct(s.pack()));
    }

    /** Keeps the inputs reachable until cuDNN has queued its work (see CudaBackend). */
    private static void keepAlive(DeviceBuffer a, DeviceBuffer b) {
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
    }

    /** Which implementation runs, for the log. */
    String path() {
        return path;
    }
}
