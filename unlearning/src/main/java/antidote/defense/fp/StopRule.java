package antidote.defense.fp;

/**
 * When Fine-Pruning stops pruning: the held-out clean accuracy has fallen to a level ({@link #DROP_TO}, the
 * I-BAU paper's reading, "supervising the ACC to drop to ... 20%") or by an amount ({@link #DROP_BY}, Liu et al.'s
 * own rule and BackdoorBench's, a drop of a few points).
 */
public enum StopRule {
    /** Stop once the accuracy is at or below the given accuracy. */
    DROP_TO,
    /** Stop once the accuracy is at or below the unpruned accuracy minus the given amount. */
    DROP_BY;

    /** The accuracy at or below which pruning stops, for a model whose unpruned accuracy is {@code before}. */
    public double threshold(double before, double amount) {
        return this == DROP_TO ? amount : before - amount;
    }
}
