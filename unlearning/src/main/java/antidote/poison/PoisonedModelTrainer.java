package antidote.poison;

import antidote.attack.Attack;
import antidote.attack.HiddenTrigger;
import antidote.attack.InputAware;
import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.metric.Metrics;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.nn.io.ModelInfo;
import antidote.nn.optim.CosineAnnealing;
import antidote.nn.optim.Optimizer;
import antidote.nn.persample.PerSampleGradients;
import antidote.privacy.DpSchedule;
import antidote.privacy.DpSettings;
import antidote.privacy.RdpAccountant;
import antidote.report.Json;
import antidote.report.ProgressBars;
import antidote.tensor.Tensor;
import me.tongfei.progressbar.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a model on a poisoned training set with the recipe of its architecture, measuring ACC and ASR
 * after every epoch. Each epoch ends with an atomic checkpoint ({@code checkpoint.safetensors}) and a
 * progress file, so an interrupted run continues from the last finished epoch ({@code resume}); the
 * optimizer's moments restart there (they are not checkpointed), which is documented in the report.
 */
public final class PoisonedModelTrainer {
    /** The last finished epoch's model, in the run folder. */
    public static final String CHECKPOINT = "checkpoint.safetensors";
    /** The config and the finished epochs' history, in the run folder. */
    public static final String PROGRESS = "progress.json";

    /** What the progress file holds: the config trained with (null in files older than this field) and the history. */
    record Progress(TrainConfig config, List<EpochRecord> history) {
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
            Progress progress = Json.read(progressFile, Progress.class);
            checkResumable(progress, workDir);
            Checkpoint.load(checkpoint, model);
            history.addAll(progress.history());
            log.printf("resuming after epoch %d from %s%n", history.size(), checkpoint);
        }
        TrainingRecipe recipe = TrainingRecipe.forModel(config.model());
        Optimizer optimizer = recipe.optimizer(model);
        CosineAnnealing schedule = recipe.schedule(optimizer, config.epochs());
        for (int e = 0; schedule != null && e < history.size(); e++) {
            schedule.step();
        }
        DpTraining dp = dpTraining(recipe);
        // DP-SGD's shuffled batches all have the batch size its noise is scaled for: the last partial one is dropped.
        Loader loader = Loader.over(experiment.poisoned().dataset()).batchSize(recipe.batchSize())
                .seed(config.seed()).augmentation(experiment.trainAugmentation()).dropLast(dp != null).build();
        TrainingStep plainStep = TrainingStep.of(experiment, config.poisonRate());
        plainStep.beforeEpochs(loader, history.size(), workDir, log);
        // Each batch's device memory is released when its step ends; the weights and the optimizer's moments stay.
        StepMemory memory = plainStep.memory(model, optimizer);
        double start = history.isEmpty() ? 0 : history.get(history.size() - 1).seconds();
        long t0 = System.nanoTime();
        for (int epoch = history.size() + 1; epoch <= config.epochs(); epoch++) {
            Iterable<Batch> poisson = dp == null ? null : dp.poissonBatches(epoch);
            if (dp == null) {
                model.train();
            } else {
                PerSampleGradients.trainingMode(model);
            }
            TrainingStep step = dp == null ? plainStep : dp.step(epoch);
            double lossSum = 0;
            int batches = 0;
            int planned = poisson == null ? loader.numBatches() : dp.schedule().stepsPerEpoch();
            try (Epoch loaded = poisson == null ? loader.epoch(epoch) : null;
                 ProgressBar bar = ProgressBars.open("epoch " + epoch + "/" + config.epochs(), planned)) {
                for (Batch batch : poisson == null ? loaded : poisson) {
                    int e = epoch;
                    int b = batches;
                    double value = memory.call(() -> {
                        Tensor loss = step.loss(model, batch);
                        double v = loss.item();
                        if (!Double.isFinite(v)) {
                            throw new TrainingDivergedException(e, b, v, Files.exists(checkpoint) ? checkpoint : null);
                        }
                        step.update(loss, model, optimizer);
                        return v;
                    });
                    lossSum += value;
                    batches++;
                    bar.step();
                    bar.setExtraMessage(String.format(" loss %.4f", lossSum / batches));
                }
            }
            if (schedule != null) {
                schedule.step();
            }
            Metrics m = Evaluation.evaluate(model, experiment.test(), plainStep.triggered(experiment));
            double seconds = start + (System.nanoTime() - t0) / 1e9;
            history.add(new EpochRecord(epoch, lossSum / Math.max(1, batches), m.acc(), m.asr(), m.racc(), seconds));
            log.printf("epoch %d: loss %.4f  ACC %.2f%%  ASR %.2f%%  R-ACC %.2f%%  (%.1f s)%s%n", epoch,
                    lossSum / Math.max(1, batches), 100 * m.acc(), 100 * m.asr(), 100 * m.racc(), seconds,
                    dp == null ? "" : privacyNote(dp, epoch));
            Checkpoint.save(checkpoint, model, modelInfo());
            plainStep.afterEpoch(workDir);
            Json.write(progressFile, new Progress(config, history));
        }
        return history;
    }

    /** DP-SGD's changes to the loop when the config asks for it, else null. */
    private DpTraining dpTraining(TrainingRecipe recipe) {
        if (config.dp() == null) {
            return null;
        }
        String refusal = dpRefusal(experiment.attack());
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        return new DpTraining(config.dp(), experiment, recipe.batchSize(), config.seed());
    }

    /** Why DP-SGD cannot train a model poisoned by {@code attack} (one line), or null when it can. */
    public static String dpRefusal(Attack attack) {
        if (attack instanceof HiddenTrigger) {
            return "--dp does not combine with --attack ht: the hidden trigger's poisoned model is fine-tuned on its "
                    + "last layer only; choose another attack or train without --dp";
        }
        if (attack instanceof InputAware) {
            return "--dp does not combine with --attack iab: the input-aware attack trains its trigger generators "
                    + "with the classifier; choose another attack or train without --dp";
        }
        return null;
    }

    /** "  ε 1.234 at δ 1e-05" after {@code epochs} epochs. */
    private static String privacyNote(DpTraining dp, int epochs) {
        return String.format("  ε %.3f at δ %.0e", dp.schedule().spentAfter(epochs).epsilon(),
                dp.schedule().settings().delta());
    }

    /** The privacy DP-SGD spent over {@code epochs} epochs (ε per epoch), or null without DP-SGD. */
    public Map<String, Object> privacyReport(int epochs) {
        if (config.dp() == null) {
            return null;
        }
        DpSchedule schedule = DpSchedule.of(config.dp(),
                experiment.poisoned().dataset().size(), TrainingRecipe.forModel(config.model()).batchSize());
        List<Double> perEpoch = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            perEpoch.add(schedule.spentAfter(e).epsilon());
        }
        RdpAccountant.Spent last = schedule.spentAfter(epochs);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("settings", config.dp());
        out.put("sampling_rate", schedule.rate());
        out.put("steps_per_epoch", schedule.stepsPerEpoch());
        out.put("expected_batch", schedule.expectedBatch());
        out.put("epsilon", last.epsilon());
        out.put("delta", config.dp().delta());
        out.put("best_order", last.order());
        out.put("epsilon_per_epoch", perEpoch);
        out.put("accountant", "RDP of the sampled Gaussian mechanism (Mironov, Talwar and Zhang 2019), integer orders "
                + "2-256, classic conversion eps = RDP + log(1/delta)/(order-1) (Mironov 2017, Prop. 3)"
                + (config.dp().sampling() == DpSettings.Sampling.SHUFFLE
                ? "; shuffled batches are accounted as Poisson sampling at the same rate, an approximation" : ""));
        out.put("batch_norm", "running statistics kept fixed (evaluation mode) so that per-sample gradients exist");
        return out;
    }

    /**
     * Refuses to resume a run trained with another config (it would be continued and labelled with this one), or
     * with fewer epochs than it already has; more epochs continue it.
     */
    private void checkResumable(Progress progress, Path workDir) {
        List<String> differences = progress.config() == null ? List.of() : config.differencesBesidesEpochs(
                progress.config());
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("--resume: the run in " + workDir + " was trained with other options ("
                    + String.join("; ", differences) + "): resume with its options, or use --overwrite or another "
                    + "--out to train anew");
        }
        if (config.epochs() < progress.history().size()) {
            throw new IllegalArgumentException("--resume: --epochs " + config.epochs() + " is fewer than the "
                    + progress.history().size() + " epochs already trained in " + workDir + "; give --epochs "
                    + progress.history().size() + " or more");
        }
    }
}
