package antidote.metric;

/**
 * ACC, ASR and R-ACC of one model, each a share in [0,1]. ASR and R-ACC are null when no triggered images were
 * given (the defender did not know the trigger): a missing figure is reported as not measured, never as a number.
 * {@link #toJson()} gives {"acc":..,"asr":..,"racc":..}.
 */
public record Metrics(double acc, Double asr, Double racc) {
    /** Checks that each rate is a share in [0,1], and that ASR and R-ACC are both given or both missing. */
    public Metrics {
        requireShare("ACC", acc);
        if ((asr == null) != (racc == null)) {
            throw new IllegalArgumentException("ASR and R-ACC come from the same triggered images: give both or "
                    + "neither, got " + asr + " and " + racc);
        }
        if (asr != null) {
            requireShare("ASR", asr);
            requireShare("R-ACC", racc);
        }
    }

    /** ACC alone, for a model evaluated without triggered images. */
    public static Metrics cleanOnly(double acc) {
        return new Metrics(acc, null, null);
    }

    /** True when ASR and R-ACC were measured. */
    public boolean measuresAttack() {
        return asr != null;
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
