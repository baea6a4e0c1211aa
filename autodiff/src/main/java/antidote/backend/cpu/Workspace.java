package antidote.backend.cpu;

/**
 * One thread's reusable scratch memory for the float32 kernels: a {@link Gemm} with its packing buffers and
 * an im2col buffer that only grows. Kernels take it from the backend's thread-local, so the im2col matrix
 * or panels of one call are reused by the next instead of being reallocated.
 */
final class Workspace {
    final Gemm gemm;
    private float[] columns = new float[0];

    Workspace(Kernels kernels) {
        this.gemm = new Gemm(kernels);
    }

    /** The im2col buffer with room for at least {@code size} floats; its contents are left over from before. */
    float[] columns(int size) {
        if (columns.length < size) {
            columns = new float[size];
        }
        return columns;
    }
}
