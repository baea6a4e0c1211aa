package antidote.defense.trigger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a per-class outlier test: each class's statistic, its anomaly index, and the classes flagged
 * (statistic below the median, index above the threshold), written into a defense's findings.
 *
 * @param statistic what was compared, e.g. "mask L1 norm"
 * @param values    the statistic by class
 * @param index     the MAD test on {@code values}
 * @param threshold the index above which a class is flagged
 * @param flagged   the flagged classes, ascending
 */
public record Detection(String statistic, double[] values, AnomalyIndex index, double threshold,
                        List<Integer> flagged) {
    /** The findings' key of whether the defense found a trigger to act on (Boolean). */
    public static final String DETECTED = "detected";

    /** Runs the test on {@code values}. */
    public static Detection of(String statistic, double[] values, double threshold) {
        AnomalyIndex index = AnomalyIndex.of(values);
        return new Detection(statistic, values.clone(), index, threshold, index.flaggedBelow(threshold));
    }

    /** The report's view: every class's value and index, the median, the MAD, the flagged classes or a verdict. */
    public Map<String, Object> findings() {
        Map<String, Object> out = new LinkedHashMap<>();
        double[] idx = index.indices();
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < values.length; c++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("value", values[c]);
            row.put("anomalyIndex", Double.isFinite(idx[c]) ? (Object) idx[c] : "infinite (MAD is 0)");
            perClass.put(Integer.toString(c), row);
        }
        out.put("statistic", statistic);
        out.put("perClass", perClass);
        out.put("median", index.median());
        out.put("scaledMad", index.scaledMad());
        out.put("threshold", threshold);
        out.put("flagged", flagged);
        // The reproduction's tables read this key: false is the paper's "x" (nothing flagged, model unchanged).
        out.put(DETECTED, !flagged.isEmpty());
        out.put("verdict", flagged.isEmpty()
                ? "no class flagged: the model is returned unchanged"
                : "flagged " + flagged + ": their recovered triggers were unlearned");
        return out;
    }
}
