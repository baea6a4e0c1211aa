package antidote.backend.cpu;

import antidote.backend.ConvGeometry;
import antidote.backend.Storage;

import java.util.Arrays;
import java.util.List;

import static antidote.backend.cpu.Layout.size;

/** The argument checks of every CPU kernel, in one place: each failure names the operand and the fix. */
final class Checks {
    private Checks() {
    }

    /** {@code x} as CPU storage. */
    static CpuStorage cpu(Storage x, String what) {
        if (x instanceof CpuStorage s) {
            return s;
        }
        throw new IllegalArgumentException(what + " is a " + x.getClass().getName()
                + ", not CPU storage; move the tensor to the CPU with .to(Device.CPU) first");
    }

    /** {@code other}, checked to have the dtype of the kernel's first input. */
    static CpuStorage sameDtype(CpuStorage first, CpuStorage other, String what) {
        if (first.dtype() != other.dtype()) {
            throw new IllegalArgumentException(what + " is " + other.dtype() + " but the kernel's first input is "
                    + first.dtype() + "; cast one of them first");
        }
        return other;
    }

    /** Fails unless {@code x} holds exactly the elements of {@code shape}. */
    static void requireSize(Storage x, int[] shape, String what) {
        if (x.size() != size(shape)) {
            throw new IllegalArgumentException(what + " has " + x.size() + " elements but its shape "
                    + Arrays.toString(shape) + " needs " + size(shape));
        }
    }

    /** The float32 data of a fused kernel's operand, checked to hold {@code size} elements. */
    static float[] floatData(Storage s, int size, String what) {
        if (!(cpu(s, what) instanceof CpuStorage.F32 f) || f.size() != size) {
            throw new IllegalArgumentException(what + " must be float32 with " + size
                    + " elements, got " + s.dtype() + " with " + s.size());
        }
        return f.data();
    }

    /** Fails unless one flag per dimension of {@code shape} says which dimensions a reduction sums. */
    static void requireAxes(int[] shape, boolean[] axes) {
        if (axes.length != shape.length) {
            throw new IllegalArgumentException("reduction flags " + Arrays.toString(axes) + " do not match shape "
                    + Arrays.toString(shape) + ": give one flag per dimension");
        }
    }

    /** Fails unless every index lies in {@code [0, size)}. */
    static void requireIndices(int[] index, int size, String kernel) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= size) {
                throw new IndexOutOfBoundsException(kernel + ": index[" + i + "] = " + index[i]
                        + " is outside [0, " + size + ")");
            }
        }
    }

    /** Fails unless a scatter has as many indices as source elements. */
    static void requireOneIndexPerElement(int[] index, int elements, String kernel) {
        if (index.length != elements) {
            throw new IllegalArgumentException(kernel + " has " + index.length + " indices for " + elements
                    + " source elements; give one index per element");
        }
    }

    /** Fails unless the block of shape {@code block} at offset {@code at} lies inside {@code shape}. */
    static void requireWithin(String what, int[] block, int[] at, int[] shape) {
        for (int a = 0; a < shape.length; a++) {
            if (at[a] < 0 || at[a] + block[a] > shape[a]) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(block) + " at " + Arrays.toString(at)
                        + " does not fit in " + Arrays.toString(shape) + " in dimension " + a);
            }
        }
    }

    /** Fails unless the parts' sizes along {@code axis} add up to the output's. */
    static void requireConcat(List<int[]> shapes, int axis, int[] outShape) {
        long total = 0;
        for (int[] shape : shapes) {
            total += shape[axis];
        }
        if (total != outShape[axis]) {
            throw new IllegalArgumentException("concat parts add up to " + total + " along axis " + axis
                    + " but the output shape " + Arrays.toString(outShape) + " says " + outShape[axis]);
        }
    }

    /** Fails unless x [N,C,H,W] and w [F,C,KH,KW] fit each other and the kernel fits the padded image. */
    static void requireConv(CpuStorage x, int[] xShape, CpuStorage w, int[] wShape, ConvGeometry g) {
        requireSize(x, xShape, "x");
        requireSize(w, wShape, "w");
        if (xShape.length != 4 || wShape.length != 4 || xShape[1] != wShape[1]) {
            throw new IllegalArgumentException("conv2d needs x [N,C,H,W] and w [F,C,KH,KW] with the same C, got "
                    + Arrays.toString(xShape) + " and " + Arrays.toString(wShape));
        }
        if (g.outH(xShape[2], wShape[2]) < 1 || g.outW(xShape[3], wShape[3]) < 1) {
            throw new IllegalArgumentException("conv2d kernel " + wShape[2] + "x" + wShape[3] + " does not fit image "
                    + xShape[2] + "x" + xShape[3] + " with " + g);
        }
    }

    /** Fails unless a convolution gradient has the output shape of input {@code xShape} and filter {@code wShape}. */
    static void requireGradOut(CpuStorage grad, int[] gradShape, int[] xShape, int[] wShape, ConvGeometry g) {
        requireSize(grad, gradShape, "gradOut");
        if (xShape.length != 4 || wShape.length != 4 || xShape[1] != wShape[1]) {
            throw new IllegalArgumentException("conv2d gradients need input [N,C,H,W] and filter [F,C,KH,KW] with the"
                    + " same C, got " + Arrays.toString(xShape) + " and " + Arrays.toString(wShape));
        }
        int[] expected = {xShape[0], wShape[0], g.outH(xShape[2], wShape[2]), g.outW(xShape[3], wShape[3])};
        if (!Arrays.equals(gradShape, expected)) {
            throw new IllegalArgumentException("conv2d gradient " + Arrays.toString(gradShape) + " does not match input "
                    + Arrays.toString(xShape) + " and filter " + Arrays.toString(wShape) + "; expected "
                    + Arrays.toString(expected));
        }
    }
}
