package antidote.repro;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slides' summary table derived from hand-made cells: each verdict follows the rule printed under it. */
class SummaryTest {

    private static ResultRow row(String attack, double rate, int clean, String defense, double accAfter,
                                 double asrAfter, double seconds) {
        return new ResultRow("fashion-mnist", attack, rate, 0, defense, clean, 0.90, 0.99, accAfter, asrAfter, 0.5,
                0.9, seconds, null, null);
    }

    private static Plan plan(List<Double> rates, List<Integer> clean) {
        return new Plan(List.of("fashion-mnist"), "small-vgg", List.of("badnets", "all-to-all"), rates, List.of(0L),
                1, 100, List.of("ibau", "ft"), clean, Map.of(), 0);
    }

    /** The verdict cells of one summary row, by defense in column order. */
    private static List<String> verdicts(String table, String rowName) {
        String line = table.lines().filter(l -> l.startsWith("| " + rowName + " |")).findFirst().orElseThrow();
        String[] cells = line.split("\\|");
        List<String> out = new ArrayList<>();
        for (int i = 2; i < cells.length; i++) {
            out.add(cells[i].strip());
        }
        return out;
    }

    @Test
    void eachVerdictFollowsThePrintedRule() {
        List<ResultRow> rows = List.of(
                row("badnets", 0.1, 5000, "ibau", 0.89, 0.05, 10),
                row("all-to-all", 0.1, 5000, "ibau", 0.80, 0.05, 12),   // ACC fell 10 points: not kept
                row("badnets", 0.1, 5000, "ft", 0.90, 0.50, 30),        // ASR stays: not removed
                row("all-to-all", 0.1, 5000, "ft", 0.88, 0.10, 40),
                row("badnets", 0.1, 100, "ibau", 0.87, 0.15, 2),
                row("all-to-all", 0.1, 100, "ibau", 0.86, 0.19, 2),
                row("badnets", 0.1, 100, "ft", 0.90, 0.90, 3),
                row("all-to-all", 0.1, 100, "ft", 0.90, 0.90, 3));
        String table = Summary.table(plan(List.of(0.1), List.of(100, 5000)), rows);
        assertEquals(List.of("✓", "✗"), verdicts(table, "one trigger, one target"));
        assertEquals(List.of("✗", "✓"), verdicts(table, "multi-target"));
        assertEquals(List.of("✓", "✗"), verdicts(table, "low clean access"));
        assertTrue(verdicts(table, "poison-rate insensitive").get(0).startsWith("n/a"), table);
        assertTrue(verdicts(table, "dataset-agnostic").get(0).startsWith("n/a"), table);
        // Medians: ibau (2, 2, 10, 12) -> 6; ft (3, 3, 30, 40) -> 16.5, 2.75x I-BAU.
        assertEquals(List.of("6.0 s", "16.5 s (2.75× I-BAU)"), verdicts(table, "overhead (median seconds)"));
        assertTrue(table.contains("below 20%") && table.contains("at most 5 points"), table);
        assertTrue(table.contains("low clean access = the smallest clean set (100 images)"), table);
    }

    @Test
    void withOneCleanSetSizeTheLegendJudgesNoLowAccessCells() {
        List<ResultRow> rows = List.of(row("badnets", 0.1, 5000, "ibau", 0.89, 0.05, 10));
        String table = Summary.table(plan(List.of(0.1), List.of(5000)), rows);
        assertTrue(verdicts(table, "low clean access").get(0).startsWith("n/a"), table);
        assertTrue(table.contains("low clean access = none (one clean-set size)"), table);
        assertFalse(table.contains("smallest clean set (5000"), table);
    }

    @Test
    void aSensitivityStudyOnOneAttackJudgesAndTabulatesThatAttackOnly() {
        Plan plan = new Plan(List.of("fashion-mnist"), "small-vgg", List.of("badnets", "all-to-all"), List.of(0.1),
                List.of(0L), 1, 100, List.of("ibau", "ft"), List.of(5000), Map.of(), 0,
                new Plan.Sensitivity("badnets", List.of(0.01), List.of(100)));
        List<ResultRow> rows = List.of(
                row("badnets", 0.1, 5000, "ibau", 0.89, 0.05, 10),
                row("all-to-all", 0.1, 5000, "ibau", 0.89, 0.50, 12),  // fails, but all-to-all has one rate only
                row("badnets", 0.1, 5000, "ft", 0.90, 0.10, 30),
                row("all-to-all", 0.1, 5000, "ft", 0.88, 0.10, 40),
                row("badnets", 0.01, 5000, "ibau", 0.89, 0.02, 10),
                row("badnets", 0.01, 5000, "ft", 0.90, 0.60, 30),       // fails at the lower rate
                row("badnets", 0.1, 100, "ibau", 0.87, 0.15, 2),
                row("badnets", 0.1, 100, "ft", 0.70, 0.05, 3));         // 20 points lost
        String table = Summary.table(plan, rows);
        assertEquals(List.of("✓", "✗"), verdicts(table, "poison-rate insensitive"));
        assertEquals(List.of("✓", "✗"), verdicts(table, "low clean access"));
        String tables = Tables.all(plan, rows);
        String table4 = tables.substring(tables.indexOf("Table 4"), tables.indexOf("Table 5"));
        String table5 = tables.substring(tables.indexOf("Table 5"), tables.indexOf("Table 6"));
        assertTrue(table4.contains("| badnets | 1.000% |") && table4.contains("| badnets | 10.00% |"), table4);
        assertTrue(table5.contains("| badnets | 100 |") && table5.contains("| badnets | 5000 |"), table5);
        assertFalse(table4.contains("all-to-all") || table5.contains("all-to-all"), tables);
    }

    @Test
    void theRuleIsStrictAtItsLimits() {
        assertTrue(Summary.works(row("badnets", 0.1, 5000, "ibau", 0.85, 0.1999, 1)), "exactly 5 points kept");
        assertFalse(Summary.works(row("badnets", 0.1, 5000, "ibau", 0.90, 0.20, 1)), "ASR must fall below 20%");
        assertFalse(Summary.works(row("badnets", 0.1, 5000, "ibau", 0.849, 0.0, 1)), "more than 5 points lost");
    }
}
