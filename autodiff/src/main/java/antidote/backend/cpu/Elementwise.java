package antidote.backend.cpu;

import antidote.backend.BinaryOp;
import antidote.backend.UnaryOp;

/**
 * Float32 inner loops of the elementwise kernels, one contiguous or strided row at a time. The operation is
 * chosen outside each loop, so that the loops are simple enough for C2 to vectorise. +, −, ×, ÷ and the
 * comparisons in float32 give exactly the float64 result rounded to float32, as the reference specifies.
 */
final class Elementwise {
    private Elementwise() {
    }

    /** {@code out[o + j] = a[ao + j·as] op b[bo + j·bs]} for j < n. */
    static void binaryRow(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int o, int n,
                          Kernels kernels) {
        if (as == 1 && bs == 1) {
            switch (op) {
                case ADD -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = a[ao + j] + b[bo + j];
                    }
                }
                case SUB -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = a[ao + j] - b[bo + j];
                    }
                }
                case MUL -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = a[ao + j] * b[bo + j];
                    }
                }
                case DIV -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = a[ao + j] / b[bo + j];
                    }
                }
                default -> general(op, a, ao, as, b, bo, bs, out, o, n);
            }
        } else if (as == 1 && bs == 0) {
            float y = b[bo];
            switch (op) {
                case ADD -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = a[ao + j] + y;
                    }
                }
                case SUB -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = a[ao + j] - y;
                    }
                }
                case MUL -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = a[ao + j] * y;
                    }
                }
                case DIV -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = a[ao + j] / y;
                    }
                }
                case GT -> kernels.greaterThan(a, ao, y, out, o, n);
                default -> general(op, a, ao, as, b, bo, bs, out, o, n);
            }
        } else if (as == 0 && bs == 1) {
            float x = a[ao];
            switch (op) {
                case ADD -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = x + b[bo + j];
                    }
                }
                case SUB -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = x - b[bo + j];
                    }
                }
                case MUL -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = x * b[bo + j];
                    }
                }
                case DIV -> {
                    for (int j = 0; j < n; j++) {
                        out[o + j] = x / b[bo + j];
                    }
                }
                default -> general(op, a, ao, as, b, bo, bs, out, o, n);
            }
        } else {
            general(op, a, ao, as, b, bo, bs, out, o, n);
        }
    }

    /** Any operation and strides, through the float64 definition. */
    private static void general(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int o,
                                int n) {
        for (int j = 0; j < n; j++) {
            out[o + j] = (float) op.apply(a[ao + j * as], b[bo + j * bs]);
        }
    }

    /** {@code out[o + j] = c[co + j·cs] != 0 ? a[ao + j·as] : b[bo + j·bs]} for j < n. */
    static void whereRow(float[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out,
                         int o, int n, Kernels kernels) {
        if (cs == 1 && (as == 0 || as == 1) && (bs == 0 || bs == 1)) {
            kernels.select(c, co, a, ao, as, b, bo, bs, out, o, n);
            return;
        }
        for (int j = 0; j < n; j++) {
            out[o + j] = c[co + j * cs] != 0 ? a[ao + j * as] : b[bo + j * bs];
        }
    }

    /** {@code out[i] = op(x[i])} for i in [from, to); ELU goes through the SIMD kernels. */
    static void unary(UnaryOp op, double param, float[] x, float[] out, int from, int to, Kernels kernels) {
        switch (op) {
            case NEG -> {
                for (int i = from; i < to; i++) {
                    out[i] = -x[i];
                }
            }
            case ELU -> kernels.elu(x, out, from, to, param);
            case RELU -> {
                for (int i = from; i < to; i++) {
                    out[i] = x[i] > 0 ? x[i] : 0f;
                }
            }
            case ABS -> {
                for (int i = from; i < to; i++) {
                    out[i] = Math.abs(x[i]);
                }
            }
            default -> {
                for (int i = from; i < to; i++) {
                    out[i] = (float) op.apply(x[i], param);
                }
            }
        }
    }
}
