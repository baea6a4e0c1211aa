package antidote.defense;

import antidote.nn.Module;

/** Called by a defense after each round (I-BAU) or epoch (SAU, fine-tuning). */
@FunctionalInterface
public interface RoundObserver {

    /** {@code round} counts from 1; the model holds the weights after that round. */
    void afterRound(int round, Module model);
}
