package antidote.poison;

import antidote.data.Batch;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.metric.Metrics;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.nn.io.ModelInfo;
import antidote.nn.optim.CosineAnnealing;
import antidote.nn.optim.Optimizer;
import antidote.report.Json;
import antidote.report.ProgressBars;
import antidote.tensor.Tensor;
import me.tongfei.progressbar.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a model on a poisoned training set with the recipe of its architecture, measuring ACC and ASR
 * after every epoch. Each epoch ends with an atomic checkpoint ({@code checkpoint.safetensors}) and a
 * progress file, so an interrupted run continues from the last finished epoch ({@code resume}); the
 * optimizer's moments restart there (they are not checkpointed), which is documented in the report.
 */
public final class PoisonedModelTrainer {
    static final String CHECKPOINT = "checkpoint.safetensors";
    static final String PROGRESS = "progress.json";

    /** What the progress file holds: the finished epochs' history. */
    record Progress(List<EpochRecord> history) {
    }

    private final TrainConfig config;
    private final Experiment experiment;
    private final PrintStream log;

    public PoisonedModelTrainer(TrainConfig config, Experiment experiment, PrintStream log) {
        this.config = config;
        this.experiment = experiment;
        this.log = log;
    }

    /** A fresh model for this experiment's data. */
    public Module newModel() {
        var train = experiment.train();
        return Models.create(config.model(), train.channels(), train.height(), train.width(), train.numClasses(),
                config.seed());
    }

    public ModelInfo modelInfo() {
        return ModelInfo.of(config.model(), experiment.train().numClasses(), experiment.train().imageShape(),
                config.seed());
    }

    /**
     * Trains for the configured epochs, resuming from {@code workDir}'s last checkpoint when {@code resume}
     * is set and one exists; returns the history (including resumed epochs).
     */
    public List<EpochRecord> train(Module model, Path workDir, boolean resume) throws IOException {
        Files.createDirectories(workDir);
        Path checkpoint = workDir.resolve(CHECKPOINT);
        Path progressFile = workDir.resolve(PROGRESS);
        List<EpochRecord> history = new ArrayList<>();
        if (resume && Files.exists(progressFile) && Files.exists(checkpoint)) {
            Checkpoint.load(checkpoint, model);
            history.addAll(Json.read(progressFile, Progress.class).history());
            log.printf("resuming after epoch %d from %s%n", history.size(), checkpoint);
        }
        TrainingRecipe recipe = TrainingRecipe.forModel(config.model());
        Optimizer optimizer = recipe.optimizer(model);
        CosineAnnealing schedule = recipe.schedule(optimizer, config.epochs());
        for (int e = 0; schedule != null && e < history.size(); e++) {
            schedule.step();
        }
        Loader loader = Loader.over(experiment.poisoned().dataset()).batchSize(recipe.batchSize())
                .seed(config.seed()).augmentation(experiment.trainAugmentation()).build();
        TrainingStep step = TrainingStep.of(experiment);
        double start = history.isEmpty() ? 0 : history.get(history.size() - 1).seconds();
        long t0 = System.nanoTime();
        for (int epoch = history.size() + 1; epoch <= config.epochs(); epoch++) {
            model.train();
            double lossSum = 0;
            int batches = 0;
            try (Epoch epochBatches = loader.epoch(epoch);
                 ProgressBar bar = ProgressBars.open("epoch " + epoch + "/" + config.epochs(), loader.numBatches())) {
                for (Batch batch : epochBatches) {
                    Tensor loss = step.loss(model, batch);
                    double value = loss.item();
                    if (!Double.isFinite(value)) {
                        throw new TrainingDivergedException(epoch, batches, value,
                                Files.exists(checkpoint) ? checkpoint : null);
                    }
                    step.update(loss, model, optimizer);
                    lossSum += value;
                    batches++;
                    bar.step();
                    bar.setExtraMessage(String.format(" loss %.4f", lossSum / batches));
                }
            }
            if (schedule != null) {
                schedule.step();
            }
            Metrics m = Evaluation.evaluate(model, experiment.test(), experiment.triggered());
            double seconds = start + (System.nanoTime() - t0) / 1e9;
            history.add(new EpochRecord(epoch, lossSum / Math.max(1, batches), m.acc(), m.asr(), m.racc(), seconds));
            log.printf("epoch %d: loss %.4f  ACC %.2f%%  ASR %.2f%%  R-ACC %.2f%%  (%.1f s)%n", epoch,
                    lossSum / Math.max(1, batches), 100 * m.acc(), 100 * m.asr(), 100 * m.racc(), seconds);
            Checkpoint.save(checkpoint, model, modelInfo());
            Json.write(progressFile, new Progress(history));
        }
        return history;
    }
}
