package antidote.pipeline;

import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.poison.EpochRecord;
import antidote.poison.Experiment;
import antidote.poison.PoisonedModelTrainer;
import antidote.poison.TrainConfig;
import antidote.report.FileErrors;
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
 * {@code antidote train}: poisons the data, trains, and writes {@code model.safetensors} and
 * {@code report.json} (config, seeds, versions, machine, per-epoch ACC/ASR, final ACC/ASR/R-ACC, seconds).
 */
public final class TrainRun {
    public static final String MODEL = "model.safetensors";
    public static final String REPORT = "report.json";

    /** What {@link #run} does when {@code out} already holds a (finished or interrupted) training run. */
    public enum ExistingRun {
        /** Refuse to start: the run in {@code out} is kept. */
        REFUSE,
        /** Continue it from its last finished epoch, if its config matches. */
        RESUME,
        /** Delete its files and train from scratch. */
        OVERWRITE
    }

    private TrainRun() {
    }

    /** Runs the whole training and returns the final epoch's record; see {@link ExistingRun} for a used {@code out}. */
    public static EpochRecord run(TrainConfig config, Path dataDir, Path out, ExistingRun existing, PrintStream log)
            throws IOException {
        long t0 = System.nanoTime();
        OutputFolder.check(out, Map.of());
        prepare(out, existing);
        Experiment experiment = Experiment.prepare(config, dataDir);
        log.printf("data: %s from %s (%d training images, %d poisoned, %d noise-mode; %d test, %d triggered)%n",
                config.dataset(), experiment.source().location(), experiment.train().size(),
                experiment.poisoned().poisonedIndices().length, experiment.poisoned().noiseIndices().length,
                experiment.test().size(), experiment.triggered().images().size());
        PoisonedModelTrainer trainer = new PoisonedModelTrainer(config, experiment, log);
        Module model = trainer.newModel();
        List<EpochRecord> history = trainer.train(model, out, existing == ExistingRun.RESUME);
        Checkpoint.save(out.resolve(MODEL), model, trainer.modelInfo());
        EpochRecord last = history.get(history.size() - 1);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "train");
        report.put("config", config);
        report.put("data_location", experiment.source().location().toString());
        report.put("poisoned_samples", experiment.poisoned().poisonedIndices().length);
        report.put("noise_samples", experiment.poisoned().noiseIndices().length);
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

    /** Refuses a used {@code out} or clears it, as {@code existing} says. */
    private static void prepare(Path out, ExistingRun existing) throws IOException {
        List<String> found = new ArrayList<>();
        for (String name : List.of(MODEL, REPORT, PoisonedModelTrainer.CHECKPOINT, PoisonedModelTrainer.PROGRESS)) {
            if (Files.exists(out.resolve(name))) {
                found.add(name);
            }
        }
        if (found.isEmpty() || existing == ExistingRun.RESUME) {
            return;
        }
        if (existing == ExistingRun.REFUSE) {
            throw new IllegalArgumentException("--out " + out + " already holds a training run (" + String.join(", ",
                    found) + "): add --resume to continue it or --overwrite to replace it, or name another folder");
        }
        for (String name : found) {
            Path file = out.resolve(name);
            try {
                Files.delete(file);
            } catch (IOException e) {
                throw FileErrors.of("delete", file, e);
            }
        }
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
