package antidote.bench;

import java.util.Arrays;

/** The anchor script's timing rule: untimed warm-up calls, then the median of timed samples. */
record Timing(double median, double min) {

    /**
     * Seconds of untimed calls before a model workload is timed. The anchor's 3 warm-up calls are enough for
     * PyTorch, not for the JVM: C2 is still compiling the kernels after 3 SmallVgg train steps, and medians
     * over 15 steps then read 10-20% slower than the steady state a defense of hundreds of steps runs in.
     */
    static final double JIT_WARMUP_SECONDS = 10;

    /** Calls {@code call} at least {@code minCalls} times and until {@code seconds} have passed. */
    static void warmUp(double seconds, int minCalls, Runnable call) {
        long start = System.nanoTime();
        for (int i = 0; i < minCalls || System.nanoTime() - start < seconds * 1e9; i++) {
            call.run();
        }
    }

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
