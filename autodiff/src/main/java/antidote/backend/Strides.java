package antidote.backend;

import java.util.Arrays;

/** Row-major stride arithmetic that every backend's kernels share (contiguous and broadcast reads). */
public final class Strides {
    private Strides() {
    }

    /** Row-major element strides of a contiguous tensor of {@code shape}. */
    public static int[] contiguous(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            s[a] = acc;
            acc *= shape[a];
        }
        return s;
    }

    /**
     * Strides, one per dimension of {@code outShape}, that read a contiguous tensor of {@code shape}
     * broadcast NumPy-style (right-aligned; size-1 and missing leading dimensions get stride 0).
     */
    public static int[] broadcast(int[] shape, int[] outShape) {
        if (shape.length > outShape.length) {
            throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(shape) + " to "
                    + Arrays.toString(outShape) + ": it has more dimensions");
        }
        int[] own = contiguous(shape);
        int[] s = new int[outShape.length];
        int lead = outShape.length - shape.length;
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] != 1 && shape[a] != outShape[a + lead]) {
                throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(shape) + " to "
                        + Arrays.toString(outShape) + ": dimension " + a + " is neither 1 nor "
                        + outShape[a + lead]);
            }
            s[a + lead] = shape[a] == 1 ? 0 : own[a];
        }
        return s;
    }
}
