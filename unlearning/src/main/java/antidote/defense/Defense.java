package antidote.defense;

import antidote.data.Dataset;
import antidote.nn.Module;

/**
 * A backdoor defense: purifies a model in place using only a small clean set. A new defense is one class
 * implementing this interface; the runner around it measures ACC/ASR after every round and writes reports.
 */
public interface Defense {

    /** The name used on the command line and in reports (e.g. "ibau"). */
    String name();

    /** The settings this run uses, for the report (JSON-friendly values). */
    Object settings();

    /**
     * Purifies {@code model} in place.
     *
     * @param observer told after every round or epoch, so the caller can evaluate and stop early
     * @throws DivergenceException when a loss becomes NaN or infinite
     */
    void purify(Module model, Dataset cleanSet, RoundObserver observer);
}
