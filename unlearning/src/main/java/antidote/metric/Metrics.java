package antidote.metric;

/** ACC, ASR and R-ACC of one model, each a share in [0,1]; {@link #toJson()} gives {"acc":..,"asr":..,"racc":..}. */
public record Metrics(double acc, double asr, double racc) {
    /** Checks that each rate is a share in [0,1]. */
    public Metrics {
        requireShare("ACC", acc);
        requireShare("ASR", asr);
        requireShare("R-ACC", racc);
    }

    /** {@code {"acc":0.849,"asr":0.976,"racc":0.012}}: shortest round-trip decimals, keys in this order. */
    public String toJson() {
        return "{\"acc\":" + acc + ",\"asr\":" + asr + ",\"racc\":" + racc + "}";
    }

    private static void requireShare(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " " + value
                    + " is not a share in [0,1]; pass fractions (0.85), not percentages (85)");
        }
    }
}
