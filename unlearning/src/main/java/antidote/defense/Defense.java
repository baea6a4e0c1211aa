package antidote.defense;

import antidote.data.Dataset;
import antidote.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

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

    /**
     * What the defense found, for the report's "findings" (JSON-friendly values), e.g. a detection's per-class
     * scores and flagged classes; empty when it has nothing to say beyond the metrics. Called after {@link #purify}.
     */
    default Map<String, Object> findings() {
        return Map.of();
    }

    /**
     * Writes files people want to look at (recovered trigger images, plots) into {@code outDir}, which exists;
     * called after {@link #purify}. Each file is written to a temporary name and renamed.
     */
    default void writeArtifacts(Path outDir) throws IOException {
    }
}
