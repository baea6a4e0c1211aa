package antidote.backend.cpu;

import antidote.backend.BinaryOp;
import antidote.backend.Storage;
import antidote.backend.Strides;
import antidote.backend.UnaryOp;
import antidote.core.DType;

import static antidote.backend.cpu.Checks.cpu;
import static antidote.backend.cpu.Checks.floatData;
import static antidote.backend.cpu.Checks.requireSize;
import static antidote.backend.cpu.Checks.sameDtype;
import static antidote.backend.cpu.Layout.size;

/**
 * The elementwise kernels (unary, broadcasting binary, where, cast, ELU's gradient), split by output element.
 * The float32 inner loops choose the operation outside each loop, so that the loops are simple enough for C2 to
 * vectorise. +, −, ×, ÷ and the comparisons in float32 give exactly the float64 result rounded to float32, as the
 * reference specifies; float64 goes through {@link UnaryOp#apply} and {@link BinaryOp#apply}.
 */
final class Elementwise {
    private final Parallel parallel;
    private final Kernels kernels;

    Elementwise(Parallel parallel, Kernels kernels) {
        this.parallel = parallel;
        this.kernels = kernels;
    }

    /** x converted to {@code dtype}; x itself when it already has it. */
    CpuStorage cast(CpuStorage s, DType dtype) {
        if (s.dtype() == dtype) {
            return s;
        }
        CpuStorage out = CpuStorage.zeros(dtype, s.size());
        parallel.forRange(s.size(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                out.set(i, s.get(i));
            }
        });
        return out;
    }

    /** {@code op(x, param)} elementwise. */
    CpuStorage unary(UnaryOp op, CpuStorage s, double param) {
        if (s instanceof CpuStorage.F32 f) {
            float[] out = new float[f.size()];
            parallel.forRange(f.size(), 8, (from, to) -> unaryRange(op, param, f.data(), out, from, to, kernels));
            return new CpuStorage.F32(out);
        }
        CpuStorage out = s.allocate(s.size());
        parallel.forRange(s.size(), 8, (from, to) -> {
            for (int i = from; i < to; i++) {
                out.set(i, op.apply(s.get(i), param));
            }
        });
        return out;
    }

    /** {@code op(a, b)} with a and b broadcast to {@code outShape}. */
    CpuStorage binary(BinaryOp op, Storage a, int[] aShape, Storage b, int[] bShape, int[] outShape) {
        CpuStorage x = cpu(a, "a");
        CpuStorage y = sameDtype(x, cpu(b, "b"), "b");
        requireSize(x, aShape, "a");
        requireSize(y, bShape, "b");
        int[] aStrides = Strides.broadcast(aShape, outShape);
        int[] bStrides = Strides.broadcast(bShape, outShape);
        if (x instanceof CpuStorage.F32 fa) {
            float[] fb = ((CpuStorage.F32) y).data();
            float[] out = new float[size(outShape)];
            Layout.Nest nest = Layout.Nest.of(outShape, aStrides, bStrides, Strides.contiguous(outShape));
            StridedRows.forEach(parallel, nest, 1, (rows, length) -> binaryRow(op, fa.data(), rows.offset(0),
                    rows.step(0), fb, rows.offset(1), rows.step(1), out, rows.offset(2), length, kernels));
            return new CpuStorage.F32(out);
        }
        CpuStorage out = x.allocate(size(outShape));
        int length = StridedRows.rowLength(outShape);
        parallel.forRange(StridedRows.rowCount(outShape), 2L * length, (from, to) -> {
            StridedRows rows = new StridedRows(outShape, new int[2], aStrides, bStrides);
            rows.seek(from);
            int aStep = rows.step(0);
            int bStep = rows.step(1);
            for (int r = from; r < to; r++, rows.next()) {
                int ao = rows.offset(0);
                int bo = rows.offset(1);
                for (int j = 0, o = r * length; j < length; j++, o++) {
                    out.set(o, op.apply(x.get(ao + j * aStep), y.get(bo + j * bStep)));
                }
            }
        });
        return out;
    }

    /** {@code cond != 0 ? a : b} with all three broadcast to {@code outShape}. */
    CpuStorage where(Storage cond, int[] condShape, Storage a, int[] aShape, Storage b, int[] bShape,
                     int[] outShape) {
        CpuStorage c = cpu(cond, "cond");
        CpuStorage x = sameDtype(c, cpu(a, "a"), "a");
        CpuStorage y = sameDtype(c, cpu(b, "b"), "b");
        requireSize(c, condShape, "cond");
        requireSize(x, aShape, "a");
        requireSize(y, bShape, "b");
        int[] cStrides = Strides.broadcast(condShape, outShape);
        int[] aStrides = Strides.broadcast(aShape, outShape);
        int[] bStrides = Strides.broadcast(bShape, outShape);
        if (c instanceof CpuStorage.F32 fc) {
            float[] fa = ((CpuStorage.F32) x).data();
            float[] fb = ((CpuStorage.F32) y).data();
            float[] out = new float[size(outShape)];
            Layout.Nest nest = Layout.Nest.of(outShape, cStrides, aStrides, bStrides, Strides.contiguous(outShape));
            StridedRows.forEach(parallel, nest, 1, (rows, length) -> whereRow(fc.data(), rows.offset(0), rows.step(0),
                    fa, rows.offset(1), rows.step(1), fb, rows.offset(2), rows.step(2), out, rows.offset(3), length,
                    kernels));
            return new CpuStorage.F32(out);
        }
        CpuStorage out = x.allocate(size(outShape));
        int length = StridedRows.rowLength(outShape);
        parallel.forRange(StridedRows.rowCount(outShape), 2L * length, (from, to) -> {
            StridedRows rows = new StridedRows(outShape, new int[3], cStrides, aStrides, bStrides);
            rows.seek(from);
            for (int r = from; r < to; r++, rows.next()) {
                for (int j = 0, o = r * length; j < length; j++, o++) {
                    boolean pickA = c.get(rows.offset(0) + j * rows.step(0)) != 0;
                    out.set(o, pickA ? x.get(rows.offset(1) + j * rows.step(1))
                            : y.get(rows.offset(2) + j * rows.step(2)));
                }
            }
        });
        return out;
    }

    /** ELU's input gradient from its float32 output y: g where y > 0, else g·(y + alpha). */
    CpuStorage eluBackward(CpuStorage.F32 y, Storage gradOut, double alpha) {
        float[] g = floatData(gradOut, y.size(), "gradOut");
        float[] out = new float[y.size()];
        parallel.forRange(out.length, 4, (from, to) -> kernels.eluBackward(y.data(), g, out, from, to, (float) alpha));
        return new CpuStorage.F32(out);
    }

    /** {@code out[o + j] = a[ao + j·as] op b[bo + j·bs]} for j < n. */
    private static void binaryRow(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out,
                                  int o, int n, Kernels kernels) {
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
    private static void whereRow(float[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs,
                                 float[] out, int o, int n, Kernels kernels) {
        if (cs == 1 && (as == 0 || as == 1) && (bs == 0 || bs == 1)) {
            kernels.select(c, co, a, ao, as, b, bo, bs, out, o, n);
            return;
        }
        for (int j = 0; j < n; j++) {
            out[o + j] = c[co + j * cs] != 0 ? a[ao + j * as] : b[bo + j * bs];
        }
    }

    /** {@code out[i] = op(x[i])} for i in [from, to); ELU and ReLU go through the SIMD kernels. */
    private static void unaryRange(UnaryOp op, double param, float[] x, float[] out, int from, int to,
                                   Kernels kernels) {
        switch (op) {
            case NEG -> {
                for (int i = from; i < to; i++) {
                    out[i] = -x[i];
                }
            }
            case ELU -> kernels.elu(x, out, from, to, param);
            case RELU -> kernels.relu(x, out, from, to);
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
