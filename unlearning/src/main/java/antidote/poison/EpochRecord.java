package antidote.poison;

/** One line of a training or defense history: metrics after an epoch or round, and the wall time so far. */
public record EpochRecord(int epoch, double loss, double acc, double asr, double racc, double seconds) {
}
