package antidote.repro;

import antidote.data.source.DataSources;
import antidote.data.source.SearchPath;
import antidote.defense.ibau.IbauSettings;
import antidote.metric.Metrics;
import antidote.pipeline.DefendRun;
import antidote.pipeline.DefenseOptions;
import antidote.pipeline.DefenseOutcome;
import antidote.pipeline.Defenses;
import antidote.pipeline.TrainRun;
import antidote.poison.EpochRecord;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code antidote reproduce}: trains (or reuses from the cache) every poisoned model of a {@link Plan},
 * defends each with every defense, and writes the tables (Markdown, CSV, JSON) and PNG plots to the
 * output folder.
 */
public final class Reproduction {
    private final Plan plan;
    private final Path dataDir;
    private final Path cacheDir;
    private final Path out;
    private final PrintStream log;

    public Reproduction(Plan plan, Path dataDir, Path cacheDir, Path out, PrintStream log) {
        this.plan = plan;
        this.dataDir = dataDir;
        this.cacheDir = cacheDir;
        this.out = out;
        this.log = log;
    }

    /** Runs the grid and returns the rows of the tables. */
    public List<ResultRow> run() throws IOException {
        check();
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        List<ResultRow> rows = new ArrayList<>();
        Path firstRun = null;
        for (String dataset : plan.datasets()) {
            for (String attack : plan.attacks()) {
                for (double rate : plan.poisonRates()) {
                    for (long seed : plan.seeds()) {
                        AttackSpec spec = AttackSpec.parse(attack);
                        TrainConfig config = new TrainConfig(dataset, plan.model(), spec.name(), spec.options(), rate,
                                plan.epochs(), plan.trainSamples(), seed);
                        Path run = trained(config);
                        firstRun = firstRun == null ? run : firstRun;
                        for (int clean : plan.cleanSamples()) {
                            rows.addAll(defendAll(config, attack, run, clean));
                        }
                    }
                }
            }
        }
        if (plan.stabilitySeeds() > 0 && firstRun != null) {
            stability(firstRun);
        }
        writeTables(rows, (System.nanoTime() - t0) / 1e9);
        return rows;
    }

    /**
     * Fails before any training when the plan names an unknown model, attack, attack option or defense, a poison
     * rate, epoch or sample count out of range, a dataset that cannot be found, or an unusable --out.
     */
    private void check() throws IOException {
        if (!Models.names().contains(plan.model())) {
            throw new IllegalArgumentException("unknown model '" + plan.model() + "'; choose one of " + Models.names());
        }
        for (String attack : plan.attacks()) {
            AttackSpec spec = AttackSpec.parse(attack);
            for (double rate : plan.poisonRates()) {
                Experiment.attack(new TrainConfig(plan.datasets().get(0), plan.model(), spec.name(), spec.options(),
                        rate, plan.epochs(), plan.trainSamples(), 0));
            }
        }
        plan.defenses().forEach(d -> Defenses.create(d, DefenseOptions.defaults(0, 0)));
        for (int clean : plan.cleanSamples()) {
            if (clean < 1) {
                throw new IllegalArgumentException("--clean-samples must be at least 1, got " + clean);
            }
        }
        for (String dataset : plan.datasets()) {
            DataSources.open(dataset, SearchPath.standard(dataDir));
        }
        OutputFolder.check(out, Map.of("--cache", cacheDir));
    }

    /** The cached run folder of {@code config}, training it first if the cache has no model for it. */
    private Path trained(TrainConfig config) throws IOException {
        Path run = cacheDir.resolve(config.cacheKey());
        if (Files.exists(run.resolve(TrainRun.MODEL)) && Files.exists(run.resolve(TrainRun.REPORT))) {
            log.printf("== reusing the trained model in %s%n", run);
        } else {
            log.printf("== training %s / %s / %s (%d epochs)%n", config.dataset(), config.model(), config.attack(),
                    config.epochs());
            TrainRun.run(config, dataDir, run, TrainRun.ExistingRun.RESUME, log);
        }
        return run;
    }

    /** Every defense on one trained model; the rows name the attack as the plan wrote it (with its options). */
    private List<ResultRow> defendAll(TrainConfig config, String attack, Path run, int clean) throws IOException {
        List<ResultRow> rows = new ArrayList<>();
        Map<String, List<EpochRecord>> histories = new LinkedHashMap<>();
        Metrics measured = null;
        for (String defense : plan.defenses()) {
            log.printf("== %s on %s / %s with %d clean images%n", defense, config.dataset(), config.attack(), clean);
            Path target = out.resolve("runs").resolve(config.cacheKey() + "_c" + clean).resolve(defense);
            DefenseOutcome o = DefendRun.run(run, defense, clean,
                    new DefenseOptions(roundsOf(defense), lrOf(defense), config.seed(), IbauSettings.referenceCode()),
                    measured, dataDir, target, log);
            measured = o.before();
            histories.put(defense, o.history());
            rows.add(new ResultRow(config.dataset(), attack, config.poisonRate(), config.seed(), defense, clean,
                    o.before().acc(), o.before().asr(), o.after().acc(), o.after().asr(), o.after().racc(), o.der(),
                    o.seconds(), o.timeToEffect()));
        }
        if (measured != null) {
            EpochRecord before = new EpochRecord(0, Double.NaN, measured.acc(), measured.asr(), measured.racc(), 0);
            Files.createDirectories(out.resolve("plots"));
            Plots.perRound(out.resolve("plots").resolve(config.cacheKey() + "_c" + clean + ".png"),
                    config.dataset() + " / " + attack + ": ACC and ASR per round", before, histories);
        }
        return rows;
    }

    private int roundsOf(String defense) {
        return switch (defense) {
            case "sau" -> plan.sauEpochs();
            case "ft" -> plan.ftEpochs();
            default -> plan.rounds();
        };
    }

    private double lrOf(String defense) {
        return defense.equals("sau") ? plan.sauLr() : 0;
    }

    /** Figure 1: I-BAU and the naive baseline, several seeds each, on the first model of the grid. */
    private void stability(Path run) throws IOException {
        Map<String, List<EpochRecord>> runs = new LinkedHashMap<>();
        Metrics measured = null;
        int clean = plan.cleanSamples().get(0);
        for (int s = 0; s < plan.stabilitySeeds(); s++) {
            for (String defense : List.of("ibau", "naive-uap")) {
                Path target = out.resolve("stability").resolve(defense + "_seed" + s);
                DefenseOutcome o = DefendRun.run(run, defense, clean,
                        DefenseOptions.defaults(plan.rounds(), s), measured, dataDir, target, log);
                measured = o.before();
                runs.put(defense + " seed " + s, o.history());
            }
        }
        Files.createDirectories(out.resolve("plots"));
        Plots.stability(out.resolve("plots").resolve("stability.png"), measured.asr(), runs);
    }

    private void writeTables(List<ResultRow> rows, double seconds) throws IOException {
        String markdown = "# Antidote reproduction\n\n## Effectiveness (the paper's Table 1)\n\n" + Tables.effectiveness(rows)
                + "\n## Defense time (the paper's Table 6)\n\n" + Tables.time(rows)
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
