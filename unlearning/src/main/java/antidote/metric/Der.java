package antidote.metric;

/**
 * DER, the defense effectiveness rating (BackdoorBench): {@code [max(0, ASR_before - ASR_after)
 * - max(0, ACC_before - ACC_after) + 1] / 2}, in [0,1]. A defense that removes the whole backdoor at no accuracy cost
 * scores 1; one that changes nothing, or raises the ASR, scores 0.5 at best; accuracy gained earns nothing.
 */
public final class Der {
    private Der() {
    }

    /** DER of a defense that turned {@code before} into {@code after}; null when ASR was not measured. */
    public static Double of(Metrics before, Metrics after) {
        if (!before.measuresAttack() || !after.measuresAttack()) {
            return null;
        }
        double asrDrop = Math.max(0, before.asr() - after.asr());
        double accDrop = Math.max(0, before.acc() - after.acc());
        return (asrDrop - accDrop + 1) / 2;
    }
}
