package antidote.pipeline;

import antidote.attack.Attack;
import antidote.attack.InputAware;
import antidote.attack.InputAwareNetworks;
import antidote.data.Dataset;
import antidote.data.source.DataSource;
import antidote.data.source.DataSources;
import antidote.data.source.SearchPath;
import antidote.defense.Defense;
import antidote.metric.Metrics;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.nn.io.ModelInfo;
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
 * {@code antidote defend}: runs a defense on a loaded model, measures it before and after, and writes the
 * purified {@code model.safetensors} and {@code report.json}. The inputs come from a training run
 * ({@link #fromRun}) or from any model file with the user's images ({@link ModelFileInputs}); both are only read.
 */
public final class DefendRun {
    private DefendRun() {
    }

    /** Writes the purified network's checkpoint. */
    @FunctionalInterface
    public interface CheckpointWriter {
        void write(Path file, Module network) throws IOException;
    }

    /**
     * A model ready to defend and the images around it.
     *
     * @param model      what the defense runs: the network, with the input normalisation in front when there is one
     * @param network    the network whose weights are saved (the same object as, or inside, {@code model})
     * @param clean      the defender's clean images
     * @param evaluation held-out clean images for ACC, disjoint from {@code clean}
     * @param triggered  triggered images for ASR and R-ACC, or null when the trigger is unknown
     * @param report     what the report says about these inputs (files, specs, sizes, notes)
     * @param writer     how the purified network is saved
     */
    public record Inputs(Module model, Module network, Dataset clean, Dataset evaluation, TriggeredTestSet triggered,
                         Map<String, Object> report, CheckpointWriter writer) {
    }

    /** The held-out halves of the test set and the triggered images of the evaluation half. */
    public record TestHalves(Dataset clean, Dataset evaluation, TriggeredTestSet triggered) {

        public static TestHalves of(Dataset test, Attack attack, int cleanSamples) {
            checkCleanSamples(test.size(), cleanSamples);
            int half = test.size() / 2;
            Dataset evaluation = test.slice(half, test.size());
            return new TestHalves(test.slice(0, cleanSamples), evaluation, Poisoning.triggerTest(evaluation, attack));
        }

        /** Fails unless {@code cleanSamples} fit in the first half of a test set of {@code testSize} images. */
        public static void checkCleanSamples(int testSize, int cleanSamples) {
            int half = testSize / 2;
            if (cleanSamples < 1 || cleanSamples > half) {
                throw new IllegalArgumentException("--clean-samples must be between 1 and half the test set (" + half
                        + "), got " + cleanSamples);
            }
        }
    }

    /**
     * The inputs of a run folder written by {@code antidote train}: the clean set is the first {@code cleanSamples}
     * images of the test set's first half (as the I-BAU reference code does), ACC and ASR are measured on the
     * second half with the run's own attack.
     */
    public static Inputs fromRun(Path runDir, int cleanSamples, Path dataDir) throws IOException {
        TrainConfig config = TrainRun.readConfig(runDir);
        Path modelFile = runDir.resolve(TrainRun.MODEL);
        ModelInfo info = Checkpoint.readInfo(modelFile);
        DataSource source = DataSources.open(config.dataset(), SearchPath.standard(dataDir));
        Attack attack = RunAttack.of(runDir, config);
        TestHalves halves = TestHalves.of(source.load("test"), attack, cleanSamples);
        Module model = load(modelFile, info);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("input_run", runDir.toAbsolutePath().toString());
        report.put("train_config", config);
        if (attack instanceof InputAware) {
            // Absolute, so that evaluate on this defend output finds the training run's generators.
            report.put(RunAttack.KEY, RunAttack.describe(runDir.resolve(InputAwareNetworks.FILE).toAbsolutePath()
                    .toString()));
        }
        report.put("clean_samples", cleanSamples);
        report.put("evaluation_samples", halves.evaluation().size());
        report.put("triggered_samples", halves.triggered().images().size());
        return new Inputs(model, model, halves.clean(), halves.evaluation(), halves.triggered(), report,
                (file, network) -> Checkpoint.save(file, network, info));
    }

    /** The model saved in a training run's folder, built as its checkpoint's metadata says. */
    public static Module loadModel(Path runDir) throws IOException {
        Path modelFile = runDir.resolve(TrainRun.MODEL);
        return load(modelFile, Checkpoint.readInfo(modelFile));
    }

    private static Module load(Path modelFile, ModelInfo info) throws IOException {
        Module model = Models.create(info.model(), info.inputShape().get(0), info.inputShape().get(1),
                info.inputShape().get(2), info.classes(), info.seed());
        Checkpoint.load(modelFile, model);
        return model;
    }

    public static DefenseOutcome run(Inputs inputs, Defense defense, Path out, PrintStream log) throws IOException {
        return run(inputs, defense, null, out, log);
    }

    /**
     * As above; {@code knownBefore} (when not null) is the input model's metrics on the same evaluation images,
     * from an earlier defense of the same model, so they are not measured again.
     */
    public static DefenseOutcome run(Inputs inputs, Defense defense, Metrics knownBefore, Path out, PrintStream log)
            throws IOException {
        DefenseOutcome outcome = DefenseRun.run(defense, inputs.model(), inputs.clean(), inputs.evaluation(),
                inputs.triggered(), knownBefore, log);
        Files.createDirectories(out);
        inputs.writer().write(out.resolve(TrainRun.MODEL), inputs.network());
        defense.writeArtifacts(out);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "defend");
        report.putAll(inputs.report());
        if (inputs.triggered() == null) {
            report.put("asr_not_measured", "no triggered images: give --attack SPEC or --triggered folder:PATH "
                    + "--target T to measure ASR and R-ACC");
        }
        report.put("defense", defense.name());
        report.put("defense_settings", defense.settings());
        if (!defense.findings().isEmpty()) {
            report.put("findings", defense.findings());
        }
        report.put("outcome", outcome);
        report.put("provenance", Provenance.describe());
        Json.write(out.resolve(TrainRun.REPORT), report);
        return outcome;
    }
}
