package antidote.repro;

/**
 * One defended model in the reproduction tables (fractions in [0,1], seconds of defense compute).
 * {@code detected} is the verdict of a defense that detects before it mitigates (false: it flagged nothing and
 * returned the model unchanged, the paper's ×), null for defenses that always act.
 */
public record ResultRow(String dataset, String attack, double poisonRate, long seed, String defense, int cleanSamples,
                        double accBefore, double asrBefore, double accAfter, double asrAfter, double raccAfter,
                        double der, double seconds, Double timeToEffect, Boolean detected) {
}
