package antidote.pipeline;

import antidote.data.Fixtures;
import antidote.defense.ft.FineTuning;
import antidote.poison.EpochRecord;
import antidote.poison.TrainConfig;
import antidote.repro.Plan;
import antidote.repro.Reproduction;
import antidote.repro.ResultRow;
import antidote.report.Json;
import antidote.report.StrictJson;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The files of train, resume, defend and reproduce on a tiny Fashion-MNIST-format dataset the test writes
 * (random images): what each writes, that a resumed training keeps the finished epochs, that a defense never
 * changes its input run, and that a second reproduction reuses the cached model.
 */
class PipelineFilesTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static Path data;

    @BeforeAll
    static void writeDataset(@TempDir Path dir) throws IOException {
        data = dir;
        Fixtures.writeMnistLike(dir.resolve("fashion-mnist"), 400, 300, true, 7);
    }

    private static TrainConfig config(int epochs) {
        return new TrainConfig("fashion-mnist", "small-vgg", "badnets", Map.of(), 0.1, epochs, 0, 3);
    }

    /** No temporary file is left, and every JSON file written parses as strict JSON (no NaN or Infinity). */
    private static void assertNoTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> leftovers = files.filter(p -> p.getFileName().toString().contains(".tmp")).toList();
            assertTrue(leftovers.isEmpty(), "temporary files left: " + leftovers);
        }
        assertTrue(StrictJson.checkAll(dir) > 0, "no JSON written in " + dir);
    }

    @Test
    void aResumedTrainingKeepsTheFinishedEpochsAndWritesTheModelAndReport(@TempDir Path run) throws IOException {
        EpochRecord first = TrainRun.run(config(1), data, run, TrainRun.ExistingRun.REFUSE, QUIET);
        assertTrue(Files.exists(run.resolve(TrainRun.MODEL)));
        EpochRecord second = TrainRun.run(config(2), data, run, TrainRun.ExistingRun.RESUME, QUIET);
        assertEquals(2, second.epoch());
        JsonObject report = Json.read(run.resolve(TrainRun.REPORT), JsonObject.class);
        var history = report.getAsJsonArray("history");
        assertEquals(2, history.size());
        assertEquals(first.acc(), history.get(0).getAsJsonObject().get("acc").getAsDouble());
        assertEquals(first.asr(), history.get(0).getAsJsonObject().get("asr").getAsDouble());
        // A retrained first epoch would have its own wall time; a resumed one keeps the recorded one.
        assertEquals(first.seconds(), history.get(0).getAsJsonObject().get("seconds").getAsDouble());
        for (String key : List.of("config", "final", "train_seconds", "wall_seconds", "provenance")) {
            assertTrue(report.has(key), "report.json lacks " + key);
        }
        assertEquals(config(2), TrainRun.readConfig(run));
        assertNoTemporaryFiles(run);

        byte[] model = Files.readAllBytes(run.resolve(TrainRun.MODEL));
        String used = assertThrows(IllegalArgumentException.class,
                () -> TrainRun.run(config(2), data, run, TrainRun.ExistingRun.REFUSE, QUIET)).getMessage();
        assertTrue(used.contains(run.toString()) && used.contains("--resume") && used.contains("--overwrite"), used);
        TrainConfig otherAttack = new TrainConfig("fashion-mnist", "small-vgg", "blend", Map.of(), 0.1, 2, 0, 3);
        String changed = assertThrows(IllegalArgumentException.class,
                () -> TrainRun.run(otherAttack, data, run, TrainRun.ExistingRun.RESUME, QUIET)).getMessage();
        assertTrue(changed.contains("attack: badnets there, blend now"), changed);
        String fewer = assertThrows(IllegalArgumentException.class,
                () -> TrainRun.run(config(1), data, run, TrainRun.ExistingRun.RESUME, QUIET)).getMessage();
        assertTrue(fewer.contains("--epochs 1 is fewer than the 2 epochs"), fewer);
        assertArrayEquals(model, Files.readAllBytes(run.resolve(TrainRun.MODEL)), "a refused run changed the model");
    }

    @Test
    void defendWritesThePurifiedModelAndReportAndLeavesTheInputRunAlone(@TempDir Path work) throws IOException {
        Path run = work.resolve("run");
        TrainRun.run(config(1), data, run, TrainRun.ExistingRun.REFUSE, QUIET);
        byte[] model = Files.readAllBytes(run.resolve(TrainRun.MODEL));
        byte[] report = Files.readAllBytes(run.resolve(TrainRun.REPORT));

        Path out = work.resolve("ft");
        DefenseOutcome o = DefendRun.run(DefendRun.fromRun(run, 60, data), TestDefenses.create("ft", 2, 1), out, QUIET);
        assertEquals(2, o.history().size());
        assertArrayEquals(model, Files.readAllBytes(run.resolve(TrainRun.MODEL)), "the input model changed");
        assertArrayEquals(report, Files.readAllBytes(run.resolve(TrainRun.REPORT)), "the input report changed");
        assertTrue(Files.size(out.resolve(TrainRun.MODEL)) > 0);
        JsonObject written = Json.read(out.resolve(TrainRun.REPORT), JsonObject.class);
        for (String key : List.of("input_run", "train_config", "defense", "defense_settings", "clean_samples",
                "evaluation_samples", "outcome", "provenance")) {
            assertTrue(written.has(key), "defend's report.json lacks " + key);
        }
        JsonObject outcome = written.getAsJsonObject("outcome");
        for (String key : List.of("before", "after", "der", "history", "seconds")) {
            assertTrue(outcome.has(key), "outcome lacks " + key);
        }
        assertNoTemporaryFiles(out);
    }

    private record Grid(List<String> attacks, List<String> defenses, String wrongName) {
    }

    @Test
    void aReproductionWithABadOptionFailsBeforeTraining(@TempDir Path work) throws IOException {
        for (Grid wrong : List.of(new Grid(List.of("badnets", "no-such-attack"), List.of("ft"), "no-such-attack"),
                new Grid(List.of("badnets"), List.of("ft", "prune"), "prune"))) {
            Plan plan = new Plan(List.of("fashion-mnist"), "small-vgg", wrong.attacks(), List.of(0.1), List.of(0L), 1,
                    200, wrong.defenses(), List.of(40), Map.of(), 0);
            Path cache = work.resolve("cache");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Reproduction(plan, data, cache, work.resolve("out"), QUIET).run());
            assertTrue(e.getMessage().contains(wrong.wrongName()), e.getMessage());
            assertTrue(Files.notExists(cache), "nothing may be trained before the plan is checked");
        }
        Path cache = work.resolve("cache");
        Plan negativeRate = new Plan(List.of("fashion-mnist"), "small-vgg", List.of("badnets"), List.of(0.1, -0.5),
                List.of(0L), 1, 200, List.of("ft"), List.of(40), Map.of(), 0);
        String rate = assertThrows(IllegalArgumentException.class,
                () -> new Reproduction(negativeRate, data, cache, work.resolve("out"), QUIET).run()).getMessage();
        assertTrue(rate.contains("-0.5"), rate);
        Plan otherData = new Plan(List.of("fashion-mnist", "cifar10"), "small-vgg", List.of("badnets"), List.of(0.1),
                List.of(0L), 1, 200, List.of("ft"), List.of(40), Map.of(), 0);
        IOException missing = assertThrows(IOException.class,
                () -> new Reproduction(otherData, data, cache, work.resolve("out"), QUIET).run());
        assertTrue(missing.getMessage().contains("cifar10"), missing.getMessage());
        Plan tooManyClean = new Plan(List.of("fashion-mnist"), "small-vgg", List.of("badnets"), List.of(0.1),
                List.of(0L), 1, 200, List.of("ft"), List.of(40, 100_000), Map.of(), 0);
        String clean = assertThrows(IllegalArgumentException.class,
                () -> new Reproduction(tooManyClean, data, cache, work.resolve("out"), QUIET).run()).getMessage();
        assertTrue(clean.contains("half the test set") && clean.contains("100000"), clean);
        Path file = Files.writeString(work.resolve("file"), "x");
        Plan fine = new Plan(List.of("fashion-mnist"), "small-vgg", List.of("badnets"), List.of(0.1), List.of(0L), 1,
                200, List.of("ft"), List.of(40), Map.of(), 0);
        String out = assertThrows(IllegalArgumentException.class,
                () -> new Reproduction(fine, data, cache, file, QUIET).run()).getMessage();
        assertTrue(out.contains("is an existing file"), out);
        assertTrue(Files.notExists(cache), "nothing may be trained before the plan is checked");
    }

    @Test
    void aReproductionWritesTablesAndPlotsAndAnInterruptedGridRecomputesNothingThatFinished(@TempDir Path work)
            throws IOException {
        Plan plan = new Plan(List.of("fashion-mnist"), "small-vgg", List.of("badnets"), List.of(0.1), List.of(0L), 1,
                200, List.of("ft", "ibau"), List.of(40), Map.of("ft", new FineTuning.Settings(1, 128, 1e-3, 0)), 1);
        Path cache = work.resolve("cache");
        // A grid stopped after its first cell: that cell's result is in the cache.
        String firstCell = plan.cells().get(0).hash();
        new Reproduction(plan, data, cache, work.resolve("unused"), QUIET).runCell(firstCell);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<ResultRow> rows = new Reproduction(plan, data, cache, work.resolve("first"),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String first = log.toString(StandardCharsets.UTF_8);
        assertTrue(first.contains("3 cells, 1 from the cache") && !first.contains("== ft on")
                && first.contains("== ibau on") && first.contains("== naive-uap on"), first);
        assertEquals(2, rows.size());
        assertEquals(rows.get(0).accBefore(), rows.get(1).accBefore(), "one model, one 'before'");
        assertEquals(rows.get(0).asrBefore(), rows.get(1).asrBefore(), "one model, one 'before'");
        for (String file : List.of("results.md", "results.csv", "results.json")) {
            assertTrue(Files.size(work.resolve("first").resolve(file)) > 0, file);
        }
        String markdown = Files.readString(work.resolve("first").resolve("results.md"));
        assertTrue(markdown.contains("| fashion-mnist | badnets |") && markdown.contains("Table 6")
                && markdown.contains("Summary"), markdown);
        assertEquals(3, Files.readAllLines(work.resolve("first").resolve("results.csv")).size(), "header + 2 rows");
        try (Stream<Path> plots = Files.list(work.resolve("first").resolve("plots"))) {
            assertEquals(3, plots.filter(p -> p.toString().endsWith(".png")).count(),
                    "per round, against seconds, and Figure 1");
        }
        assertTrue(Files.size(work.resolve("first").resolve("plots").resolve("stability.png")) > 0);

        assertNoTemporaryFiles(work.resolve("first"));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        List<ResultRow> second = new Reproduction(plan, data, cache, work.resolve("second"),
                new PrintStream(again, true, StandardCharsets.UTF_8)).run();
        String log2 = again.toString(StandardCharsets.UTF_8);
        assertTrue(log2.contains("3 cells, 3 from the cache") && !log2.contains("== training")
                && !log2.contains(" on fashion-mnist"), log2);
        assertEquals(rows, second, "the cached cells give the same rows");
    }
}
