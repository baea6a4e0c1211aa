package antidote.defense;

import antidote.nn.Module;

/** Told by a defense about its progress: after each batch, and after each round (I-BAU) or epoch (SAU, fine-tuning). */
@FunctionalInterface
public interface RoundObserver {

    /** {@code step} of the {@code steps} batches of round {@code round} (from 1) are done; drives progress bars. */
    default void afterStep(int round, int step, int steps) {
    }

    /** {@code round} counts from 1; the model holds the weights after that round. */
    void afterRound(int round, Module model);
}
