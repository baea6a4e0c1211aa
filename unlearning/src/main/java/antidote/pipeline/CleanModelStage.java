package antidote.pipeline;

import antidote.nn.Module;
import antidote.poison.EpochRecord;
import antidote.poison.Experiment;
import antidote.poison.PoisonedModelTrainer;
import antidote.poison.TrainConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The clean model an attack crafts its poisons against (the hidden trigger): trained with the run's own trainer, model,
 * epochs and seed on the unpoisoned training set, checkpointed in {@code dir} (so a resumed run resumes it too). The
 * poisoned model then starts from its weights and only its last layer learns the poisoned data, as in the original.
 */
final class CleanModelStage implements Experiment.CleanModelTrainer {
    private final TrainConfig config;
    private final Path dir;
    private final boolean resume;
    private final PrintStream log;
    private Module trained;
    private List<EpochRecord> history;

    CleanModelStage(TrainConfig config, Path dir, boolean resume, PrintStream log) {
        this.config = config;
        this.dir = dir;
        this.resume = resume;
        this.log = log;
    }

    @Override
    public Module train(Experiment clean) throws IOException {
        log.printf("training the clean model the %s poisons are crafted against (%s, %d epochs, seed %d) in %s%n",
                config.attack(), config.model(), config.epochs(), config.seed(), dir);
        PoisonedModelTrainer trainer = new PoisonedModelTrainer(config, clean, log);
        trained = trainer.newModel();
        history = trainer.train(trained, dir, resume);
        return trained;
    }

    /** The trained clean model, if an attack asked for one. */
    Optional<Module> trained() {
        return Optional.ofNullable(trained);
    }

    /** What the report says about the clean model: how it was trained, where, and its last epoch's metrics. */
    Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("purpose", config.attack() + " crafted its poisons against this model; the poisoned model is "
                + "this model with its last layer fine-tuned on the poisoned data");
        report.put("model", config.model());
        report.put("epochs", config.epochs());
        report.put("seed", config.seed());
        report.put("train_samples", config.trainSamples());
        report.put("checkpoint_dir", dir.toAbsolutePath().toString());
        report.put("history", history);
        report.put("asr_note", "ASR of the clean model: the base rate of the trigger");
        return report;
    }
}
