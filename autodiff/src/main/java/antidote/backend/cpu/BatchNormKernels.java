package antidote.backend.cpu;

import antidote.backend.Storage;

import static antidote.backend.cpu.Checks.cpu;
import static antidote.backend.cpu.Checks.floatData;
import static antidote.backend.cpu.Checks.requireSize;

/**
 * Batch normalisation of float32 [N, C, plane] data in fused passes: in training, the moments in two reads,
 * the output in one read and one write, the input gradient in two reads and one write (the composed
 * kernels of {@link antidote.backend.Backend} take about three times as many full-size passes); in
 * evaluation, the per-channel affine map and its scale gradient in one pass each. Per-channel
 * sums are {@link Kernels#sum}s in a fixed order; work is split by channel or by plane, never inside a sum.
 */
final class BatchNormKernels {
    private final Parallel parallel;
    private final Kernels kernels;
    private final int batch;
    private final int channels;
    private final int plane;

    /**
     * The kernels for the first operand x (named {@code what}) of {@code shape} when they apply (float32 CPU data
     * of rank 2 or more, checked against the shape), or null, where the backend's composed default serves.
     */
    static BatchNormKernels forInput(Parallel parallel, Kernels kernels, Storage x, int[] shape, String what) {
        if (!(cpu(x, what) instanceof CpuStorage.F32) || shape.length < 2) {
            return null;
        }
        requireSize(x, shape, what);
        return new BatchNormKernels(parallel, kernels, shape);
    }

    private BatchNormKernels(Parallel parallel, Kernels kernels, int[] shape) {
        this.parallel = parallel;
        this.kernels = kernels;
        this.batch = shape[0];
        this.channels = shape[1];
        int p = 1;
        for (int a = 2; a < shape.length; a++) {
            p *= shape[a];
        }
        this.plane = p;
    }

    /** [means..., variances...] (two-pass: the variance sums squares about the mean). */
    CpuStorage moments(Storage input) {
        float[] x = whole(input, "x");
        float[] out = new float[2 * channels];
        double count = (double) batch * plane;
        parallel.forRange(channels, 2L * batch * plane, (from, to) -> {
            for (int c = from; c < to; c++) {
                double total = 0;
                for (int n = 0; n < batch; n++) {
                    total += kernels.sum(x, start(n, c), plane);
                }
                double mean = total / count;
                double squares = 0;
                for (int n = 0; n < batch; n++) {
                    squares += kernels.crossSum(x, start(n, c), x, start(n, c), (float) mean, plane);
                }
                out[c] = (float) mean;
                out[channels + c] = (float) (squares / count);
            }
        });
        return new CpuStorage.F32(out);
    }

    /** {@code (x − mean)·r·weight + bias} per channel. */
    CpuStorage forward(Storage input, Storage momentStorage, Storage weightStorage, Storage biasStorage,
                       double eps) {
        float[] x = whole(input, "x");
        float[] moments = floatData(momentStorage, 2 * channels, "moments");
        float[] weight = floatData(weightStorage, channels, "weight");
        float[] bias = floatData(biasStorage, channels, "bias");
        float[] out = new float[x.length];
        parallel.forRange(batch * channels, 3L * plane, (from, to) -> {
            for (int row = from; row < to; row++) {
                int c = row % channels;
                float mean = moments[c];
                float factor = (float) (weight[c] / Math.sqrt(moments[channels + c] + eps));
                float shift = bias[c];
                for (int i = row * plane, end = i + plane; i < end; i++) {
                    out[i] = (x[i] - mean) * factor + shift;
                }
            }
        });
        return new CpuStorage.F32(out);
    }

    /** {@code x·scale + shift} per channel; a null shift is 0. */
    CpuStorage affine(Storage input, Storage scaleStorage, Storage shiftStorage) {
        float[] x = whole(input, "x");
        float[] scale = floatData(scaleStorage, channels, "scale");
        float[] shift = shiftStorage == null ? null : floatData(shiftStorage, channels, "shift");
        float[] out = new float[x.length];
        parallel.forRange(batch * channels, 2L * plane, (from, to) -> {
            for (int row = from; row < to; row++) {
                int c = row % channels;
                float factor = scale[c];
                float offset = shift == null ? 0f : shift[c];
                for (int i = row * plane, end = i + plane; i < end; i++) {
                    out[i] = x[i] * factor + offset;
                }
            }
        });
        return new CpuStorage.F32(out);
    }

    /** Σ a·b per channel. */
    CpuStorage dot(Storage aStorage, Storage bStorage) {
        float[] a = whole(aStorage, "a");
        float[] b = whole(bStorage, "b");
        float[] out = new float[channels];
        parallel.forRange(channels, 2L * batch * plane, (from, to) -> {
            for (int c = from; c < to; c++) {
                double total = 0;
                for (int n = 0; n < batch; n++) {
                    total += kernels.crossSum(a, start(n, c), b, start(n, c), 0f, plane);
                }
                out[c] = (float) total;
            }
        });
        return new CpuStorage.F32(out);
    }

    /** [Σg..., Σg·(x − mean)...] per channel. */
    CpuStorage gradSums(Storage input, Storage momentStorage, Storage gradOut) {
        float[] x = whole(input, "x");
        float[] moments = floatData(momentStorage, 2 * channels, "moments");
        float[] grad = whole(gradOut, "gradOut");
        float[] out = new float[2 * channels];
        parallel.forRange(channels, 2L * batch * plane, (from, to) -> {
            for (int c = from; c < to; c++) {
                double gradTotal = 0;
                double crossTotal = 0;
                for (int n = 0; n < batch; n++) {
                    gradTotal += kernels.sum(grad, start(n, c), plane);
                    crossTotal += kernels.crossSum(grad, start(n, c), x, start(n, c), moments[c], plane);
                }
                out[c] = (float) gradTotal;
                out[channels + c] = (float) crossTotal;
            }
        });
        return new CpuStorage.F32(out);
    }

    /**
     * {@code weight·r·(g − mean(g) − x̂·mean(g·x̂))} per channel, as {@code (g − mean(g) − (x − mean)·q)·k}, from
     * the sums {@link #gradSums} gives.
     */
    CpuStorage backward(Storage input, Storage momentStorage, Storage weightStorage, Storage gradOut,
                        Storage gradSums, double eps) {
        float[] x = whole(input, "x");
        float[] moments = floatData(momentStorage, 2 * channels, "moments");
        float[] weight = floatData(weightStorage, channels, "weight");
        float[] grad = whole(gradOut, "gradOut");
        float[] sums = floatData(gradSums, 2 * channels, "gradSums");
        float[] q = new float[channels];
        float[] gradMean = new float[channels];
        float[] factor = new float[channels];
        double count = (double) batch * plane;
        for (int c = 0; c < channels; c++) {
            double r = 1 / Math.sqrt(moments[channels + c] + eps);
            // x̂·mean(g·x̂) = (x − mean)·r²·mean(g·(x − mean)).
            q[c] = (float) (r * r * sums[channels + c] / count);
            gradMean[c] = (float) (sums[c] / count);
            factor[c] = (float) (weight[c] * r);
        }
        float[] out = new float[x.length];
        parallel.forRange(batch * channels, 4L * plane, (from, to) -> {
            for (int row = from; row < to; row++) {
                int c = row % channels;
                float mean = moments[c];
                float qc = q[c];
                float gm = gradMean[c];
                float k = factor[c];
                for (int i = row * plane, end = i + plane; i < end; i++) {
                    out[i] = (grad[i] - gm - (x[i] - mean) * qc) * k;
                }
            }
        });
        return new CpuStorage.F32(out);
    }

    /** [Σg..., Σg·(x − m)..., Σu..., Σu·g..., Σu·(x − m)...] per channel. */
    CpuStorage secondOrderSums(Storage input, Storage momentStorage, Storage gradOut, Storage uStorage) {
        float[] x = whole(input, "x");
        float[] moments = floatData(momentStorage, 2 * channels, "moments");
        float[] grad = whole(gradOut, "gradOut");
        float[] u = whole(uStorage, "u");
        float[] out = new float[5 * channels];
        parallel.forRange(channels, 5L * batch * plane, (from, to) -> {
            for (int c = from; c < to; c++) {
                double[] sums = new double[5];
                float mean = moments[c];
                for (int n = 0; n < batch; n++) {
                    int at = start(n, c);
                    // The three planes stay in L1 across the five sums.
                    sums[0] += kernels.sum(grad, at, plane);
                    sums[1] += kernels.crossSum(grad, at, x, at, mean, plane);
                    sums[2] += kernels.sum(u, at, plane);
                    sums[3] += kernels.crossSum(u, at, grad, at, 0f, plane);
                    sums[4] += kernels.crossSum(u, at, x, at, mean, plane);
                }
                for (int s = 0; s < 5; s++) {
                    out[s * channels + c] = (float) sums[s];
                }
            }
        });
        return new CpuStorage.F32(out);
    }

    /** (x − m)·kc + g·kg + u·ku + k0 per channel, coefficients as rows m, kc, kg, ku, k0. */
    CpuStorage combine(Storage input, Storage gradOut, Storage uStorage, Storage coefficientStorage) {
        float[] x = whole(input, "x");
        float[] grad = whole(gradOut, "gradOut");
        float[] u = whole(uStorage, "u");
        float[] coefficients = floatData(coefficientStorage, 5 * channels, "coefficients");
        float[] out = new float[x.length];
        parallel.forRange(batch * channels, 7L * plane, (from, to) -> {
            for (int row = from; row < to; row++) {
                int c = row % channels;
                float mean = coefficients[c];
                float kc = coefficients[channels + c];
                float kg = coefficients[2 * channels + c];
                float ku = coefficients[3 * channels + c];
                float k0 = coefficients[4 * channels + c];
                for (int i = row * plane, end = i + plane; i < end; i++) {
                    out[i] = (x[i] - mean) * kc + grad[i] * kg + u[i] * ku + k0;
                }
            }
        });
        return new CpuStorage.F32(out);
    }

    /** A full-size float32 operand's data. */
    private float[] whole(Storage s, String what) {
        return floatData(s, batch * channels * plane, what);
    }

    private int start(int n, int c) {
        return (n * channels + c) * plane;
    }
}
