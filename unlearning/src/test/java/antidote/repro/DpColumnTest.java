package antidote.repro;

import antidote.data.Fixtures;
import antidote.metric.Metrics;
import antidote.pipeline.DefendRun;
import antidote.pipeline.Defenses;
import antidote.pipeline.TrainRun;
import antidote.poison.EpochRecord;
import antidote.poison.Evaluation;
import antidote.poison.TrainConfig;
import antidote.privacy.DpSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dp column on a tiny Fashion-MNIST-format dataset the test writes: the row's poisoned data is trained again with
 * DP-SGD into its own cache folder, the row's "before" is the ordinary model's and its "after" the DP model's, both
 * on the evaluation images every other defense of the row uses, and the finished cell is read from the cache.
 */
class DpColumnTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void aDpCellTrainsWithDpSgdMeasuresBothModelsOnTheRowsImagesAndIsCached(@TempDir Path work) throws IOException {
        Path data = work.resolve("data");
        Fixtures.writeMnistLike(data.resolve("fashion-mnist"), 128, 100, true, 7);
        Plan plan = new Plan(List.of("fashion-mnist"), "small-vgg", List.of("badnets"), List.of(0.1), List.of(0L), 1,
                0, List.of(Defenses.DP), List.of(20), Map.of(), 0);
        Path cache = work.resolve("cache");
        Cell cell = plan.cells().get(0);
        assertEquals(DpSettings.DEFAULT, cell.settings());
        TrainConfig dpConfig = cell.train().withDp(DpSettings.DEFAULT);
        assertNotEquals(cell.train().cacheKey(), dpConfig.cacheKey());

        // Computed alone, as 'reproduce --cell HASH' does.
        ResultRow row = new Reproduction(plan, data, cache, work.resolve("unused"), QUIET).runCell(cell.hash()).row();
        Path ordinary = cache.resolve(cell.train().cacheKey());
        Path dp = cache.resolve(dpConfig.cacheKey());
        assertEquals(dpConfig, TrainRun.readConfig(dp), "the DP model is trained with DP-SGD in its own folder");

        DefendRun.Inputs halves = DefendRun.fromRun(ordinary, 20, data);
        Metrics before = Evaluation.evaluate(halves.model(), halves.evaluation(), halves.triggered());
        Metrics after = Evaluation.evaluate(DefendRun.loadModel(dp), halves.evaluation(), halves.triggered());
        assertNotEquals(List.of(before.acc(), before.asr()), List.of(after.acc(), after.asr()),
                "the test needs two models that measure differently");
        assertEquals(List.of(before.acc(), before.asr()), List.of(row.accBefore(), row.asrBefore()),
                "before: the ordinary model");
        assertEquals(List.of(after.acc(), after.asr(), after.racc()),
                List.of(row.accAfter(), row.asrAfter(), row.raccAfter()), "after: the DP model");
        List<EpochRecord> history = TrainRun.readHistory(dp);
        assertEquals(history.get(history.size() - 1).seconds(), row.seconds(), "the DP training's seconds");
        assertNull(row.detected(), "dp detects nothing");
        assertEquals(Defenses.DP, row.defense());

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<ResultRow> rows = new Reproduction(plan, data, cache, work.resolve("out"),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("1 cells, 1 from the cache") && !printed.contains("== training"), printed);
        assertEquals(List.of(row), rows);
        assertEquals(history, new CellCache(cache).get(cell.hash()).orElseThrow().history(), "its epochs");
        String markdown = Files.readString(work.resolve("out").resolve("results.md"));
        assertTrue(markdown.contains("| no defense | dp |") && markdown.contains("dp is judged by the same rules"),
                markdown);
    }

    @Test
    void anAttackThatDpSgdCannotTrainHasNoDpCellAndAnUnknownDefenseListsDp(@TempDir Path work) throws IOException {
        Plan plan = new Plan(List.of("fashion-mnist"), "small-vgg", List.of("badnets", "ht", "iab"), List.of(0.1),
                List.of(0L), 1, 200, List.of("ft", Defenses.DP), List.of(40), Map.of(), 0);
        List<String> dpAttacks = plan.cells().stream().filter(c -> c.defense().equals(Defenses.DP))
                .map(Cell::attack).toList();
        assertEquals(List.of("badnets"), dpAttacks);
        assertEquals(4, plan.cells().size(), "ft on all three, dp on badnets");

        Plan wrong = new Plan(List.of("fashion-mnist"), "small-vgg", List.of("badnets"), List.of(0.1), List.of(0L), 1,
                200, List.of("dp-sgd"), List.of(40), Map.of(), 0);
        String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Reproduction(wrong, work, work.resolve("cache"), work.resolve("out"), QUIET).run())
                .getMessage();
        assertTrue(message.contains("'dp-sgd'") && message.contains(Defenses.DP + "]"), message);
    }
}
