package antidote.pipeline;

import antidote.attack.Attack;
import antidote.data.Dataset;
import antidote.data.source.DataSource;
import antidote.data.source.DataSources;
import antidote.data.source.SearchPath;
import antidote.defense.Defense;
import antidote.metric.Metrics;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.nn.io.ModelInfo;
import antidote.poison.Experiment;
import antidote.poison.Models;
import antidote.poison.Poisoning;
import antidote.poison.TrainConfig;
import antidote.poison.TriggeredTestSet;
import antidote.report.Json;
import antidote.report.Provenance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code antidote defend}: loads a poisoned run, takes the defender's clean set from the first half of the
 * test set (as the I-BAU reference code does) and evaluates on the second half, runs the defense, and writes
 * the purified {@code model.safetensors} and {@code report.json}. The input run folder is only read.
 */
public final class DefendRun {
    private DefendRun() {
    }

    /** The held-out halves of the test set and the triggered images of the evaluation half. */
    public record TestHalves(Dataset clean, Dataset evaluation, TriggeredTestSet triggered) {

        public static TestHalves of(Dataset test, Attack attack, int cleanSamples) {
            int half = test.size() / 2;
            if (cleanSamples < 1 || cleanSamples > half) {
                throw new IllegalArgumentException("--clean-samples must be between 1 and half the test set (" + half
                        + "), got " + cleanSamples);
            }
            Dataset evaluation = test.slice(half, test.size());
            return new TestHalves(test.slice(0, cleanSamples), evaluation, Poisoning.triggerTest(evaluation, attack));
        }
    }

    public static DefenseOutcome run(Path runDir, String defenseName, int cleanSamples, DefenseOptions options,
                                     Path dataDir, Path out, PrintStream log) throws IOException {
        return run(runDir, defenseName, cleanSamples, options, null, dataDir, out, log);
    }

    /**
     * As above; {@code knownBefore} (when not null) is the input model's metrics on the same evaluation half,
     * from an earlier defense of the same run with the same clean-set size, so they are not measured again.
     */
    public static DefenseOutcome run(Path runDir, String defenseName, int cleanSamples, DefenseOptions options,
                                     Metrics knownBefore, Path dataDir, Path out, PrintStream log)
            throws IOException {
        TrainConfig config = TrainRun.readConfig(runDir);
        Path modelFile = runDir.resolve(TrainRun.MODEL);
        ModelInfo info = Checkpoint.readInfo(modelFile);
        DataSource source = DataSources.open(config.dataset(), SearchPath.standard(dataDir));
        TestHalves halves = TestHalves.of(source.load("test"), Experiment.attack(config), cleanSamples);
        Module model = Models.create(info.model(), info.inputShape().get(0), info.inputShape().get(1),
                info.inputShape().get(2), info.classes(), options.seed());
        Checkpoint.load(modelFile, model);

        Defense defense = Defenses.create(defenseName, options);
        DefenseOutcome outcome = DefenseRun.run(defense, model, halves.clean(), halves.evaluation(),
                halves.triggered(), knownBefore, log);

        Files.createDirectories(out);
        Checkpoint.save(out.resolve(TrainRun.MODEL), model, info);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "defend");
        report.put("input_run", runDir.toAbsolutePath().toString());
        report.put("train_config", config);
        report.put("defense", defenseName);
        report.put("defense_settings", defense.settings());
        report.put("clean_samples", cleanSamples);
        report.put("evaluation_samples", halves.evaluation().size());
        report.put("seed", options.seed());
        report.put("outcome", outcome);
        report.put("provenance", Provenance.describe());
        Json.write(out.resolve(TrainRun.REPORT), report);
        return outcome;
    }
}
