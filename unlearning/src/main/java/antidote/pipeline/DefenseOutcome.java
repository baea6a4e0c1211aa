package antidote.pipeline;

import antidote.metric.Metrics;
import antidote.poison.EpochRecord;

import java.util.List;

/**
 * The result of one defense run: metrics before and after, DER, the per-round history, the defense's own
 * seconds (evaluation excluded), and the time to effect (seconds until ASR first fell below 20%; 0 when
 * it was below before the defense; null when it never fell below or ASR was not measured). DER is null
 * when ASR was not measured.
 */
public record DefenseOutcome(String defense, Metrics before, Metrics after, Double der, List<EpochRecord> history,
                             double seconds, Double timeToEffect) {
}
