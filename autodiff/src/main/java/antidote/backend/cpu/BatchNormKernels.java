package antidote.backend.cpu;

/**
 * Training-mode batch normalisation of float32 [N, C, plane] data in fused passes: the moments in two reads,
 * the output in one read and one write, the input gradient in two reads and one write (the composed
 * kernels of {@link antidote.backend.Backend} take about three times as many full-size passes). Per-channel
 * sums run in float64 in a fixed order; work is split by channel or by plane, never inside a sum.
 */
final class BatchNormKernels {
    private final Parallel parallel;
    private final int batch;
    private final int channels;
    private final int plane;

    BatchNormKernels(Parallel parallel, int[] shape) {
        this.parallel = parallel;
        this.batch = shape[0];
        this.channels = shape[1];
        int p = 1;
        for (int a = 2; a < shape.length; a++) {
            p *= shape[a];
        }
        this.plane = p;
    }

    /** [means..., variances...] (two-pass: the variance sums squares about the mean). */
    float[] moments(float[] x) {
        float[] out = new float[2 * channels];
        double count = (double) batch * plane;
        parallel.forRange(channels, 2L * batch * plane, (from, to) -> {
            for (int c = from; c < to; c++) {
                double total = 0;
                for (int n = 0; n < batch; n++) {
                    total += planeSum(x, start(n, c));
                }
                double mean = total / count;
                double squares = 0;
                for (int n = 0; n < batch; n++) {
                    squares += planeCrossSum(x, start(n, c), x, mean);
                }
                out[c] = (float) mean;
                out[channels + c] = (float) (squares / count);
            }
        });
        return out;
    }

    /** {@code (x − mean)·r·weight + bias} per channel. */
    float[] forward(float[] x, float[] moments, float[] weight, float[] bias, double eps) {
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
        return out;
    }

    /** {@code weight·r·(g − mean(g) − x̂·mean(g·x̂))} per channel, as {@code (g − mean(g) − (x − mean)·q)·k}. */
    float[] backward(float[] x, float[] moments, float[] weight, float[] grad, double eps) {
        float[] q = new float[channels];
        float[] gradMean = new float[channels];
        float[] factor = new float[channels];
        double count = (double) batch * plane;
        parallel.forRange(channels, 2L * batch * plane, (from, to) -> {
            for (int c = from; c < to; c++) {
                double mean = moments[c];
                double gradTotal = 0;
                double crossTotal = 0;
                for (int n = 0; n < batch; n++) {
                    gradTotal += planeSum(grad, start(n, c));
                    crossTotal += planeCrossSum(grad, start(n, c), x, mean);
                }
                double r = 1 / Math.sqrt(moments[channels + c] + eps);
                // x̂·mean(g·x̂) = (x − mean)·r²·mean(g·(x − mean)).
                q[c] = (float) (r * r * crossTotal / count);
                gradMean[c] = (float) (gradTotal / count);
                factor[c] = (float) (weight[c] * r);
            }
        });
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
        return out;
    }

    private int start(int n, int c) {
        return (n * channels + c) * plane;
    }

    /** Σ a[from + i] over one plane, in float64 with four interleaved partial sums. */
    private double planeSum(float[] a, int from) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        int end = from + plane;
        for (; i + 4 <= end; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < end; i++) {
            s0 += a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ a[from + i]·(x[from + i] − mean) over one plane, as {@link #planeSum}; a = x gives centred squares. */
    private double planeCrossSum(float[] a, int from, float[] x, double mean) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        int end = from + plane;
        for (; i + 4 <= end; i += 4) {
            s0 += a[i] * (x[i] - mean);
            s1 += a[i + 1] * (x[i + 1] - mean);
            s2 += a[i + 2] * (x[i + 2] - mean);
            s3 += a[i + 3] * (x[i + 3] - mean);
        }
        for (; i < end; i++) {
            s0 += a[i] * (x[i] - mean);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
