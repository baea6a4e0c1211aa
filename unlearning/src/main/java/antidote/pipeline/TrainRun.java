package antidote.pipeline;

import antidote.attack.InputAwareNetworks;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.poison.EpochRecord;
import antidote.poison.Experiment;
import antidote.poison.PoisonedModelTrainer;
import antidote.poison.TrainConfig;
import antidote.report.FileErrors;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import antidote.report.Json;
import antidote.report.OutputFolder;
import antidote.report.Provenance;

import java.io.FileNotFoundException;
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
    private static final Gson GSON = new Gson();

    /** What {@link #run} does when {@code out} already holds a (finished or interrupted) training run. */
    public enum ExistingRun {
        /** Refuse to start: the run in {@code out} is kept. */
        REFUSE,
        /** Continue it from its last finished epoch, if its config matches. */
        RESUME,
        /** Delete its files and train from scratch. */
        OVERWRITE
    }

    /** Where the clean model of an attack that needs one (the hidden trigger) is trained. */
    public static final String CLEAN_MODEL_DIR = "clean-model";

    private TrainRun() {
    }

    /** Runs the whole training and returns the final epoch's record; see {@link ExistingRun} for a used {@code out}. */
    public static EpochRecord run(TrainConfig config, Path dataDir, Path out, ExistingRun existing, PrintStream log)
            throws IOException {
        long t0 = System.nanoTime();
        OutputFolder.check(out, Map.of());
        prepare(out, existing);
        CleanModelStage clean = new CleanModelStage(config, out.resolve(CLEAN_MODEL_DIR),
                existing == ExistingRun.RESUME, log);
        Experiment experiment = Experiment.prepare(config, dataDir, clean);
        log.printf("data: %s from %s (%d training images, %d poisoned, %d noise-mode; %d test, %d triggered)%n",
                config.dataset(), experiment.source().location(), experiment.train().size(),
                experiment.poisoned().poisonedIndices().length, experiment.poisoned().noiseIndices().length,
                experiment.test().size(), experiment.triggered().images().size());
        PoisonedModelTrainer trainer = new PoisonedModelTrainer(config, experiment, log);
        Module model = trainer.newModel();
        clean.trained().ifPresent(start -> model.loadStateDict(start.stateDict()));
        List<EpochRecord> history = trainer.train(model, out, existing == ExistingRun.RESUME);
        Checkpoint.save(out.resolve(MODEL), model, trainer.modelInfo());
        var attackNetworks = RunAttack.save(experiment.attack(), out);
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
        attackNetworks.ifPresent(entry -> report.put(RunAttack.KEY, entry));
        report.put("recipe", antidote.poison.TrainingRecipe.forModel(config.model()));
        report.put("history", history);
        Map<String, Object> privacy = trainer.privacyReport(history.size());
        if (privacy != null) {
            report.put("dp", privacy);
        }
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
        for (String name : List.of(MODEL, REPORT, PoisonedModelTrainer.CHECKPOINT, PoisonedModelTrainer.PROGRESS,
                InputAwareNetworks.FILE)) {
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

    /** The per-epoch history recorded in a finished training run's report (ACC/ASR on its test set, seconds so far). */
    public static List<EpochRecord> readHistory(Path runDir) throws IOException {
        Path report = runDir.resolve(REPORT);
        History read = Json.read(report, History.class);
        if (read == null || read.history() == null || read.history().isEmpty()) {
            throw new IOException(report + " has no \"history\": it was not written by a finished 'antidote train'; "
                    + "delete its folder to train it again");
        }
        return read.history();
    }

    /** The part of report.json that {@link #readHistory} reads. */
    private record History(List<EpochRecord> history) {
    }

    /**
     * The training config recorded in a training run's report; a missing or malformed report, or a defend output,
     * is refused in one line naming the file and what is wrong.
     */
    public static TrainConfig readConfig(Path runDir) throws IOException {
        Path report = runDir.resolve(REPORT);
        if (!Files.exists(report)) {
            throw new FileNotFoundException(report + " not found: --run must name a folder written by "
                    + "'antidote train --out DIR'");
        }
        JsonObject tree = Json.read(report, JsonObject.class);
        if (!tree.has("config") && tree.has("train_config")) {
            throw new IllegalArgumentException(runDir + " holds the output of 'antidote defend', not a training run: "
                    + "give --run the training run it came from" + (tree.has("input_run")
                    ? " (" + tree.get("input_run").getAsString() + ")" : ""));
        }
        return configIn(report, tree, "config");
    }

    /**
     * The TrainConfig under {@code key} of {@code report}'s tree, checked: every setting present with the right
     * type and a valid value, else one line naming the file, the entry and the fault.
     */
    public static TrainConfig configIn(Path report, JsonObject tree, String key) throws IOException {
        if (!tree.has(key) || !tree.get(key).isJsonObject()) {
            throw new IOException(report + " has no \"" + key + "\" object: it was not written by antidote, or was "
                    + "edited; train again to get a complete report");
        }
        JsonObject config = tree.getAsJsonObject(key);
        for (String field : List.of("dataset", "model", "attack", "attackOptions", "poisonRate", "epochs",
                "trainSamples", "seed")) {
            if (!config.has(field) || config.get(field).isJsonNull()) {
                throw new IOException(report + ": " + key + "." + field + " is missing");
            }
        }
        try {
            return GSON.fromJson(config, TrainConfig.class);
        } catch (RuntimeException e) {
            // Gson wraps what the record's constructor throws (a value out of range) in its own exception.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException invalid && !(cause instanceof NumberFormatException)) {
                    throw new IOException(report + ": " + key + " is invalid: " + invalid.getMessage(), e);
                }
            }
            throw new IOException(report + ": " + key + " has a value of the wrong type (" + e.getMessage() + ")", e);
        }
    }
}
