package antidote.defense.trigger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Neural Cleanse's outlier test: the anomaly index of each value is |x − median| / (1.4826 · MAD), where MAD is
 * the median of |x − median| and 1.4826 makes it estimate the standard deviation of normal data. A class is
 * flagged when its value lies below the median (a trigger smaller than the others) and its index exceeds the
 * threshold (2 in the papers: about 95% confidence).
 */
public final class AnomalyIndex {
    /** The consistency constant that turns the MAD into a standard-deviation estimate for normal data. */
    public static final double CONSISTENCY = 1.4826;

    private final double[] values;
    private final double median;
    private final double mad;

    private AnomalyIndex(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the anomaly index needs at least one value");
        }
        this.values = values.clone();
        this.median = median(values);
        double[] deviations = Arrays.stream(values).map(v -> Math.abs(v - median)).toArray();
        this.mad = CONSISTENCY * median(deviations);
    }

    /** The index of every value of {@code values}. */
    public static AnomalyIndex of(double[] values) {
        return new AnomalyIndex(values);
    }

    public double median() {
        return median;
    }

    /** 1.4826 times the median absolute deviation. */
    public double scaledMad() {
        return mad;
    }

    /**
     * |x − median| / (1.4826 · MAD) per value; when MAD is 0 (more than half the values equal), a value at the
     * median has index 0 and any other value an infinite one.
     */
    public double[] indices() {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double deviation = Math.abs(values[i] - median);
            out[i] = deviation == 0 ? 0 : deviation / mad;
        }
        return out;
    }

    /** The positions whose value is below the median with an index above {@code threshold}, in ascending order. */
    public List<Integer> flaggedBelow(double threshold) {
        double[] idx = indices();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < median && idx[i] > threshold) {
                out.add(i);
            }
        }
        return out;
    }

    /** The median, the mean of the two middle values for an even count (numpy's, which the original code uses). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
