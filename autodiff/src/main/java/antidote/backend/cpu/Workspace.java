package antidote.backend.cpu;

/**
 * One thread's reusable scratch memory for the float32 kernels: a {@link Gemm} with its packing buffers and
 * five buffers that only grow (panels, a packed GEMM operand, one image or im2col row, one output tile, one
 * GEMM product).
 * Kernels take it from the backend's thread-local, so the buffers of one call are reused by the next instead
 * of being reallocated.
 * The contents of a buffer are whatever the last call left there.
 */
final class Workspace {
    final Gemm gemm;
    private float[] panel = new float[0];
    private float[] operand = new float[0];
    private float[] image = new float[0];
    private float[] tile = new float[0];
    private float[] product = new float[0];

    Workspace(Kernels kernels) {
        this.gemm = new Gemm(kernels);
    }

    /** A buffer for GEMM panels built on the fly (or a whole im2col matrix), of at least {@code size} floats. */
    float[] panel(int size) {
        return panel = atLeast(panel, size);
    }

    /** A buffer for one packed GEMM operand, with room for at least {@code size} floats. */
    float[] operand(int size) {
        return operand = atLeast(operand, size);
    }

    /** A buffer for one image or one im2col row, with room for at least {@code size} floats. */
    float[] image(int size) {
        return image = atLeast(image, size);
    }

    /** A buffer for one GEMM output tile, with room for at least {@code size} floats. */
    float[] tile(int size) {
        return tile = atLeast(tile, size);
    }

    /** A buffer for a whole GEMM product that is rearranged afterwards, of at least {@code size} floats. */
    float[] product(int size) {
        return product = atLeast(product, size);
    }

    private static float[] atLeast(float[] buffer, int size) {
        return buffer.length >= size ? buffer : new float[size];
    }
}
