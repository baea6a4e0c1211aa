package antidote.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DerTest {
    private static final Metrics POISONED = new Metrics(0.849, 0.976, 0.02);

    @Test
    void theIbauPaperBadNetsRound() {
        // ACC 84.9 -> 83.1, ASR 97.6 -> 9.4: [0.882 - 0.018 + 1] / 2 = 0.932.
        assertEquals(0.932, Der.of(POISONED, new Metrics(0.831, 0.094, 0.8)), 1e-12);
    }

    @Test
    void removingTheWholeBackdoorForFreeScoresOneAndDoingNothingScoresOneHalf() {
        assertEquals(1.0, Der.of(new Metrics(0.9, 1.0, 0.0), new Metrics(0.9, 0.0, 0.9)), 1e-12);
        assertEquals(0.5, Der.of(POISONED, POISONED), 1e-12);
    }

    @Test
    void aWorseAttackWithAccuracyGainedScoresExactlyOneHalf() {
        double der = Der.of(POISONED, new Metrics(0.95, 0.999, 0.0));
        assertEquals(0.5, der, 1e-12, "neither a higher ASR nor a higher ACC may move DER away from 1/2");
    }

    @Test
    void losingMoreAccuracyThanAsrScoresBelowOneHalf() {
        double der = Der.of(POISONED, new Metrics(0.5, 0.9, 0.1));
        assertEquals((0.076 - 0.349 + 1) / 2, der, 1e-12);
        assertTrue(der < 0.5);
    }

    @Test
    void worstCaseIsZero() {
        assertEquals(0.0, Der.of(new Metrics(1, 0.0, 0.0), new Metrics(0, 1.0, 0.0)), 1e-12);
    }
}
