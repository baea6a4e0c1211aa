package antidote.bench;

import java.util.Arrays;

/** The anchor script's timing rule: untimed warm-up calls, then the median of timed samples. */
record Timing(double median, double min) {

    /** Seconds per call over {@code repeats} samples, each the mean of {@code inner} calls. */
    static Timing measure(int warmup, int repeats, int inner, Runnable call) {
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        double[] samples = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < inner; i++) {
                call.run();
            }
            samples[r] = (System.nanoTime() - t0) / 1e9 / inner;
        }
        if (repeats == 0) {
            return new Timing(Double.NaN, Double.NaN);
        }
        Arrays.sort(samples);
        double median = repeats % 2 == 1 ? samples[repeats / 2] : (samples[repeats / 2 - 1] + samples[repeats / 2]) / 2;
        return new Timing(median, samples[0]);
    }
}
