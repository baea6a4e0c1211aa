package antidote.defense.fp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The stopping rule on hand-made accuracy curves, and the ranking from the least active channel. */
class PruningSearchTest {
    /** Held-out accuracy after pruning k channels, k = 0..5, of a 6-channel layer. */
    private static final double[] CURVE = {0.90, 0.90, 0.88, 0.85, 0.50, 0.10};

    @Test
    void dropByStopsAtTheFirstCountThatFallsByTheAmountAndKeepsTheOneBefore() {
        List<Integer> asked = new ArrayList<>();
        PruningSearch.Result r = PruningSearch.search(6, CURVE[0], StopRule.DROP_BY.threshold(0.90, 0.04), k -> {
            asked.add(k);
            return CURVE[k];
        });
        assertEquals(2, r.pruned(), "0.85 <= 0.90 - 0.04 at 3 channels, so 2 are kept pruned");
        assertEquals(List.of(1, 2, 3), asked, "one more channel at a time, nothing measured after the stop");
        assertEquals(List.of(0.90, 0.90, 0.88, 0.85), r.accuracyCurve());
    }

    @Test
    void dropToStopsWhenTheAccuracyReachesTheLevel() {
        PruningSearch.Result r = PruningSearch.search(6, CURVE[0], StopRule.DROP_TO.threshold(0.90, 0.20),
                k -> CURVE[k]);
        assertEquals(4, r.pruned(), "0.10 <= 0.20 first at 5 channels");
    }

    @Test
    void atLeastOneChannelIsLeftWhenTheRuleNeverFires() {
        PruningSearch.Result r = PruningSearch.search(6, 0.9, 0.0, k -> 0.9);
        assertEquals(5, r.pruned());
        assertEquals(6, r.accuracyCurve().size());
    }

    @Test
    void channelsAreRankedFromTheLeastActive() {
        assertArrayEquals(new int[] {2, 0, 3, 1}, FinePruning.ascending(new double[] {0.5, 3, -1, 0.5 + 1e-9}));
        assertArrayEquals(new int[] {1, 2, 0}, FinePruning.ascending(new double[] {1, 0, 0}), "ties: lower index first");
    }
}
