package antidote.pipeline;

import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.poison.EpochRecord;
import antidote.poison.Experiment;
import antidote.poison.PoisonedModelTrainer;
import antidote.poison.TrainConfig;
import antidote.report.Json;
import antidote.report.Provenance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code antidote train}: poisons the data, trains, and writes {@code model.safetensors} and
 * {@code report.json} (config, seeds, versions, machine, per-epoch ACC/ASR, final ACC/ASR/R-ACC, seconds).
 */
public final class TrainRun {
    public static final String MODEL = "model.safetensors";
    public static final String REPORT = "report.json";
    /** Where the clean model of an attack that needs one (the hidden trigger) is trained. */
    public static final String CLEAN_MODEL_DIR = "clean-model";

    private TrainRun() {
    }

    /** Runs the whole training and returns the final epoch's record. */
    public static EpochRecord run(TrainConfig config, Path dataDir, Path out, boolean resume, PrintStream log)
            throws IOException {
        long t0 = System.nanoTime();
        CleanModelStage clean = new CleanModelStage(config, out.resolve(CLEAN_MODEL_DIR), resume, log);
        Experiment experiment = Experiment.prepare(config, dataDir, clean);
        log.printf("data: %s from %s (%d training images, %d poisoned, %d noise-mode; %d test, %d triggered)%n",
                config.dataset(), experiment.source().location(), experiment.train().size(),
                experiment.poisoned().poisonedIndices().length, experiment.poisoned().noiseIndices().length,
                experiment.test().size(), experiment.triggered().images().size());
        PoisonedModelTrainer trainer = new PoisonedModelTrainer(config, experiment, log);
        Module model = trainer.newModel();
        clean.trained().ifPresent(start -> model.loadStateDict(start.stateDict()));
        List<EpochRecord> history = trainer.train(model, out, resume);
        Checkpoint.save(out.resolve(MODEL), model, trainer.modelInfo());
        EpochRecord last = history.get(history.size() - 1);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "train");
        report.put("config", config);
        report.put("data_location", experiment.source().location().toString());
        report.put("poisoned_samples", experiment.poisoned().poisonedIndices().length);
        report.put("noise_samples", experiment.poisoned().noiseIndices().length);
        if (clean.trained().isPresent()) {
            report.put("clean_model", clean.report());
        }
        report.put("recipe", antidote.poison.TrainingRecipe.forModel(config.model()));
        report.put("history", history);
        report.put("final", Map.of("acc", last.acc(), "asr", last.asr(), "racc", last.racc()));
        report.put("train_seconds", last.seconds());
        report.put("wall_seconds", (System.nanoTime() - t0) / 1e9);
        report.put("resume_note", "a resumed run restarts the optimizer's moments at the resumed epoch");
        report.put("provenance", Provenance.describe());
        Json.write(out.resolve(REPORT), report);
        return last;
    }

    /** The training config recorded in a run folder's report. */
    public static TrainConfig readConfig(Path runDir) throws IOException {
        Path report = runDir.resolve(REPORT);
        if (!java.nio.file.Files.exists(report)) {
            throw new java.io.FileNotFoundException(report + " not found: --run must name a folder written by "
                    + "'antidote train --out DIR'");
        }
        var tree = Json.read(report, com.google.gson.JsonObject.class);
        return new com.google.gson.Gson().fromJson(tree.get("config"), TrainConfig.class);
    }
}
