package antidote.tensor;

/** Prints tensor values as nested brackets, eliding the middle of long dimensions like NumPy. */
final class TensorFormat {
    private static final int EDGE = 3;

    private TensorFormat() {
    }

    static void append(StringBuilder sb, double[] values, Shape shape) {
        if (shape.rank() == 0) {
            sb.append(format(values[0]));
            return;
        }
        append(sb, values, shape.dims(), shape.strides(), 0, 0);
    }

    private static void append(StringBuilder sb, double[] v, int[] dims, int[] strides, int axis, int offset) {
        sb.append('[');
        int n = dims[axis];
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i == EDGE) {
                sb.append("..., ");
                i = n - EDGE - 1;
                continue;
            }
            if (axis == dims.length - 1) {
                sb.append(format(v[offset + i]));
            } else {
                append(sb, v, dims, strides, axis + 1, offset + i * strides[axis]);
            }
            if (i < n - 1) {
                sb.append(axis == dims.length - 1 ? ", " : ",\n" + " ".repeat(axis + 1));
            }
        }
        sb.append(']');
    }

    private static String format(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? String.valueOf((long) x) : String.format("%.4g", x);
    }
}
