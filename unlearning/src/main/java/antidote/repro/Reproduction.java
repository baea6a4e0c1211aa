package antidote.repro;

import antidote.data.source.DataSources;
import antidote.data.source.SearchPath;
import antidote.defense.Defense;
import antidote.defense.SettingsRecord;
import antidote.defense.trigger.Detection;
import antidote.metric.Der;
import antidote.metric.Metrics;
import antidote.pipeline.DefendRun;
import antidote.pipeline.DefenseOutcome;
import antidote.pipeline.DefenseRun;
import antidote.pipeline.Defenses;
import antidote.pipeline.TrainRun;
import antidote.poison.EpochRecord;
import antidote.poison.Evaluation;
import antidote.poison.Experiment;
import antidote.poison.Models;
import antidote.poison.TrainConfig;
import antidote.report.Json;
import antidote.report.OutputFolder;
import antidote.report.Provenance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code antidote reproduce}: computes every cell of a {@link Plan} (a poisoned model, trained or reused from the
 * cache, defended by one defense), reading finished cells from the cache so that an interrupted grid continues
 * where it stopped, and writes the tables (Markdown, CSV, JSON) and PNG plots to the output folder.
 */
public final class Reproduction {
    private final Plan plan;
    private final Path dataDir;
    private final Path cacheDir;
    private final Path out;
    private final PrintStream log;
    private final CellCache cells;
    private final Map<String, Metrics> measuredBefore = new HashMap<>();

    public Reproduction(Plan plan, Path dataDir, Path cacheDir, Path out, PrintStream log) {
        this.plan = plan;
        this.dataDir = dataDir;
        this.cacheDir = cacheDir;
        this.out = out;
        this.log = log;
        this.cells = new CellCache(cacheDir);
    }

    /** Computes or reads every cell, writes the tables and plots, and returns the rows of the tables. */
    public List<ResultRow> run() throws IOException {
        check();
        long t0 = System.nanoTime();
        List<Cell> all = distinct(plan.cells(), plan.stabilityCells());
        List<Cell> missing = new ArrayList<>();
        for (Cell c : all) {
            if (cells.get(c.hash()).isEmpty()) {
                missing.add(c);
            }
        }
        log.printf("== %d cells, %d from the cache; %s%n", all.size(), all.size() - missing.size(),
                Estimate.describe(missing, cacheDir));
        Files.createDirectories(out);
        Map<String, CellResult> results = new LinkedHashMap<>();
        for (Cell c : all) {
            results.put(c.hash(), result(c));
        }
        List<ResultRow> rows = plan.cells().stream().map(c -> results.get(c.hash()).row()).toList();
        writePlots(results);
        writeTables(rows, (System.nanoTime() - t0) / 1e9);
        return rows;
    }

    /** One JSON line per distinct cell (hash, what it runs, whether the cache has it), for spreading a grid. */
    public void list(PrintStream to) throws IOException {
        check();
        for (Cell c : distinct(plan.cells(), plan.stabilityCells())) {
            Map<String, Object> line = c.describe();
            line.put("cached", cells.get(c.hash()).isPresent());
            to.println(Json.compact(line));
        }
    }

    /** Computes the one cell with {@code hash} into the cache (or reads it when it is there already). */
    public CellResult runCell(String hash) throws IOException {
        check();
        Optional<Cell> cell = distinct(plan.cells(), plan.stabilityCells()).stream()
                .filter(c -> c.hash().equals(hash)).findFirst();
        if (cell.isEmpty()) {
            throw new IllegalArgumentException("no cell of this grid has hash " + hash + "; 'reproduce --list' with "
                    + "the same options prints the grid's hashes");
        }
        return result(cell.get());
    }

    /**
     * Fails before any training when the plan names an unknown model, attack, attack option or defense, a poison
     * rate, epoch or sample count out of range (a clean-set size above half a dataset's test set too: a full grid
     * would otherwise stop at its Table 5 cells, hours in), a dataset that cannot be found, or an unusable --out.
     */
    private void check() throws IOException {
        if (!Models.names().contains(plan.model())) {
            throw new IllegalArgumentException("unknown model '" + plan.model() + "'; choose one of " + Models.names());
        }
        for (String attack : plan.attacks()) {
            for (double rate : plan.allPoisonRates()) {
                Experiment.attack(plan.trainConfig(plan.datasets().get(0), attack, rate, 0));
            }
        }
        for (String defense : plan.defenses()) {
            if (!Plan.defenseNames().contains(defense)) {
                throw new IllegalArgumentException("unknown defense '" + defense + "'; choose one of "
                        + Plan.defenseNames());
            }
        }
        for (String dataset : plan.datasets()) {
            int testSize = DataSources.open(dataset, SearchPath.standard(dataDir)).load("test").size();
            for (int clean : plan.allCleanSamples()) {
                DefendRun.TestHalves.checkCleanSamples(testSize, clean);
            }
        }
        OutputFolder.check(out, Map.of("--cache", cacheDir));
    }

    private static List<Cell> distinct(List<Cell> grid, List<Cell> stability) {
        Map<String, Cell> m = new LinkedHashMap<>();
        grid.forEach(c -> m.putIfAbsent(c.hash(), c));
        stability.forEach(c -> m.putIfAbsent(c.hash(), c));
        return List.copyOf(m.values());
    }

    /** The cell's result from the cache, or computed now and cached. */
    private CellResult result(Cell cell) throws IOException {
        Optional<CellResult> cached = cells.get(cell.hash());
        if (cached.isPresent()) {
            return cached.get();
        }
        Path run = trained(cell.train());
        log.printf("== %s on %s / %s with %d clean images (cell %s)%n", cell.defense(), cell.train().dataset(),
                cell.attack(), cell.cleanSamples(), cell.hash());
        DefendRun.Inputs inputs = DefendRun.fromRun(run, cell.cleanSamples(), dataDir);
        String beforeKey = run + "|" + cell.cleanSamples();
        DefenseOutcome o;
        Boolean detected = null;
        if (cell.defense().equals(Defenses.DP)) {
            o = dpOutcome(cell, inputs, measuredBefore.get(beforeKey));
        } else {
            Defense defense = Defenses.kind(cell.defense()).create(cell.settings());
            o = DefendRun.run(inputs, defense, measuredBefore.get(beforeKey),
                    cacheDir.resolve("cells").resolve(cell.hash()), log);
            detected = defense.findings().get(Detection.DETECTED) instanceof Boolean b ? b : null;
        }
        measuredBefore.put(beforeKey, o.before());
        ResultRow row = new ResultRow(cell.train().dataset(), cell.attack(), cell.train().poisonRate(),
                cell.train().seed(), cell.defense(), cell.cleanSamples(), o.before().acc(), o.before().asr(),
                o.after().acc(), o.after().asr(), o.after().racc(), o.der(), o.seconds(), o.timeToEffect(), detected);
        CellResult result = new CellResult(cell.hash(), row, o.history());
        cells.put(result);
        return result;
    }

    /**
     * The dp column: the row's poisoned data trained again with DP-SGD (cached like every trained model), measured
     * on the same evaluation images as the row's other defenses; its seconds, history and time to effect are its
     * training's (per epoch, on the whole test set).
     */
    private DefenseOutcome dpOutcome(Cell cell, DefendRun.Inputs inputs, Metrics knownBefore) throws IOException {
        Metrics before = knownBefore != null ? knownBefore
                : Evaluation.evaluate(inputs.model(), inputs.evaluation(), inputs.triggered());
        Path dpRun = trained(cell.dpTrain());
        Metrics after = Evaluation.evaluate(DefendRun.loadModel(dpRun), inputs.evaluation(), inputs.triggered());
        log.printf("dp: before %s%ndp: after  %s%n", DefenseRun.describe(before), DefenseRun.describe(after));
        List<EpochRecord> history = TrainRun.readHistory(dpRun);
        return new DefenseOutcome(Defenses.DP, before, after, Der.of(before, after), history,
                history.get(history.size() - 1).seconds(), DefenseRun.timeToEffect(before, history));
    }

    /** The cached run folder of {@code config}, training it first if the cache has no model for it. */
    private Path trained(TrainConfig config) throws IOException {
        Path run = cacheDir.resolve(config.cacheKey());
        if (Files.exists(run.resolve(TrainRun.MODEL)) && Files.exists(run.resolve(TrainRun.REPORT))) {
            log.printf("== reusing the trained model in %s%n", run);
        } else {
            log.printf("== training %s / %s / %s (%d epochs%s)%n", config.dataset(), config.model(), config.attack(),
                    config.epochs(), config.dp() == null ? "" : ", DP-SGD");
            TrainRun.run(config, dataDir, run, TrainRun.ExistingRun.RESUME, log);
        }
        return run;
    }

    private void writePlots(Map<String, CellResult> results) throws IOException {
        Path plots = Files.createDirectories(out.resolve("plots"));
        Map<String, List<CellResult>> byModel = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            String name = c.train().cacheKey() + "_c" + c.cleanSamples();
            byModel.computeIfAbsent(name, k -> new ArrayList<>()).add(results.get(c.hash()));
        }
        for (Map.Entry<String, List<CellResult>> e : byModel.entrySet()) {
            ResultRow first = e.getValue().get(0).row();
            EpochRecord before = new EpochRecord(0, null, first.accBefore(), first.asrBefore(), first.raccAfter(), 0);
            Map<String, List<EpochRecord>> histories = new LinkedHashMap<>();
            e.getValue().forEach(r -> histories.put(r.row().defense(), r.history()));
            String title = first.dataset() + " / " + first.attack();
            Plots.perRound(plots.resolve(e.getKey() + ".png"), title + ": ACC and ASR per round", before, histories);
            Plots.versusSeconds(plots.resolve(e.getKey() + "_seconds.png"), title + ": ACC and ASR against defense "
                    + "seconds", before, histories);
        }
        List<Cell> stability = plan.stabilityCells();
        if (!stability.isEmpty()) {
            Map<String, List<EpochRecord>> runs = new LinkedHashMap<>();
            for (Cell c : stability) {
                Object seed = SettingsRecord.fields(c.settings()).stream().filter(f -> f.name().equals("seed"))
                        .findFirst().map(SettingsRecord.Field::value).orElse("?");
                runs.put(c.defense() + " seed " + seed, results.get(c.hash()).history());
            }
            Plots.stability(plots.resolve("stability.png"), results.get(stability.get(0).hash()).row().asrBefore(),
                    runs);
        }
    }

    private void writeTables(List<ResultRow> rows, double seconds) throws IOException {
        String markdown = "# Antidote reproduction\n\n" + Tables.all(plan, rows)
                + String.format("%nTotal wall time of this reproduction: %.1f s.%n", seconds);
        Json.writeAtomically(out.resolve("results.md"), markdown);
        Json.writeAtomically(out.resolve("results.csv"), Tables.csv(rows));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("plan", plan);
        json.put("rows", rows);
        json.put("wall_seconds", seconds);
        json.put("provenance", Provenance.describe());
        Json.write(out.resolve("results.json"), json);
        log.println();
        log.println(markdown);
        log.println("wrote " + out.toAbsolutePath());
    }
}
