package antidote.defense.fp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Fine-Pruning's schedule (Liu et al., RAID 2018, Section 4): prune one more channel at a time, in the ranked
 * order, measuring the held-out accuracy after each, and stop at the first count whose accuracy is at or below
 * the threshold. The model keeps the largest count whose accuracy stayed above it (that is, one less than the
 * count that crossed), and at least one channel is always left.
 */
final class PruningSearch {
    private PruningSearch() {
    }

    /** How many channels to prune, and the accuracy after each count tried (index 0: none pruned). */
    record Result(int pruned, List<Double> accuracyCurve) {
        Result {
            accuracyCurve = List.copyOf(accuracyCurve);
        }
    }

    /**
     * @param channels   channels of the layer; at most {@code channels − 1} are pruned
     * @param before     the accuracy with nothing pruned
     * @param threshold  pruning stops at the first count with accuracy at or below this
     * @param accuracyOf the held-out accuracy with the first {@code k} ranked channels pruned, for k ≥ 1
     */
    static Result search(int channels, double before, double threshold, IntToDoubleFunction accuracyOf) {
        List<Double> curve = new ArrayList<>(List.of(before));
        for (int k = 1; k < channels; k++) {
            double acc = accuracyOf.applyAsDouble(k);
            curve.add(acc);
            if (acc <= threshold) {
                return new Result(k - 1, curve);
            }
        }
        return new Result(channels - 1, curve);
    }
}
