package antidote.repro;

/** One defended model in the reproduction tables (fractions in [0,1], seconds of defense compute). */
public record ResultRow(String dataset, String attack, double poisonRate, long seed, String defense, int cleanSamples,
                        double accBefore, double asrBefore, double accAfter, double asrAfter, double raccAfter,
                        double der, double seconds, Double timeToEffect) {
}
