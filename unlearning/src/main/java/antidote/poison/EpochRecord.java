package antidote.poison;

/**
 * One line of a training or defense history: metrics after an epoch or round, and the wall time so far. The loss
 * is null for defenses (they report no single training loss); ASR and R-ACC are null when no triggered images
 * were given.
 */
public record EpochRecord(int epoch, Double loss, double acc, Double asr, Double racc, double seconds) {
}
