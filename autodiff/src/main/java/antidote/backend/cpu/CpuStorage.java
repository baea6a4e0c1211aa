package antidote.backend.cpu;

import antidote.backend.Storage;
import antidote.core.DType;

import java.util.Arrays;

/**
 * A CPU buffer: float32 elements in a {@code float[]}, float64 in a {@code double[]}. Kernels that are not
 * speed critical read and write through {@link #get} and {@link #set}, which compute in float64 and round on
 * store exactly as the reference backend does; the hot loops ({@link Gemm}, {@link #copyTo}) use the arrays.
 */
sealed interface CpuStorage extends Storage permits CpuStorage.F32, CpuStorage.F64 {

    /** Element {@code i} widened to float64 (exact for float32). */
    double get(int i);

    /** Stores {@code value} rounded to this buffer's dtype; only for filling a kernel's fresh output. */
    void set(int i, double value);

    /** A zero-filled buffer of the same dtype. */
    CpuStorage allocate(int size);

    /** Copies {@code length} elements {@code from, from+step, ...} to {@code to, to+dstStep, ...} of {@code dst}. */
    void copyTo(int from, int step, CpuStorage dst, int to, int dstStep, int length);

    /** A zero-filled buffer of {@code dtype}. */
    static CpuStorage zeros(DType dtype, int size) {
        return dtype == DType.FLOAT32 ? new F32(new float[size]) : new F64(new double[size]);
    }

    /** A buffer of {@code dtype} with every element {@code value}. */
    static CpuStorage full(DType dtype, int size, double value) {
        if (dtype == DType.FLOAT32) {
            float[] data = new float[size];
            Arrays.fill(data, (float) value);
            return new F32(data);
        }
        double[] data = new double[size];
        Arrays.fill(data, value);
        return new F64(data);
    }

    /** A copy of the elements as float32 (rounded from float64). */
    default float[] toFloatArray() {
        if (this instanceof F32 f) {
            return f.data.clone();
        }
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) get(i);
        }
        return out;
    }

    /** A copy of the elements as float64. */
    default double[] toDoubleArray() {
        if (this instanceof F64 d) {
            return d.data.clone();
        }
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /** Float32 elements. */
    record F32(float[] data) implements CpuStorage {
        public DType dtype() {
            return DType.FLOAT32;
        }

        public int size() {
            return data.length;
        }

        public double get(int i) {
            return data[i];
        }

        public void set(int i, double value) {
            data[i] = (float) value;
        }

        public CpuStorage allocate(int size) {
            return new F32(new float[size]);
        }

        public void copyTo(int from, int step, CpuStorage dst, int to, int dstStep, int length) {
            float[] out = ((F32) dst).data;
            if (step == 1 && dstStep == 1) {
                System.arraycopy(data, from, out, to, length);
                return;
            }
            for (int i = 0; i < length; i++) {
                out[to + i * dstStep] = data[from + i * step];
            }
        }
    }

    /** Float64 elements. */
    record F64(double[] data) implements CpuStorage {
        public DType dtype() {
            return DType.FLOAT64;
        }

        public int size() {
            return data.length;
        }

        public double get(int i) {
            return data[i];
        }

        public void set(int i, double value) {
            data[i] = value;
        }

        public CpuStorage allocate(int size) {
            return new F64(new double[size]);
        }

        public void copyTo(int from, int step, CpuStorage dst, int to, int dstStep, int length) {
            double[] out = ((F64) dst).data;
            if (step == 1 && dstStep == 1) {
                System.arraycopy(data, from, out, to, length);
                return;
            }
            for (int i = 0; i < length; i++) {
                out[to + i * dstStep] = data[from + i * step];
            }
        }
    }
}
