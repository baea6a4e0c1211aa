package antidote.poison;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.grad.GradMode;
import antidote.metric.Metrics;
import antidote.metric.Scores;
import antidote.nn.Module;
import antidote.report.ProgressBars;
import me.tongfei.progressbar.ProgressBar;

/** Measures a model: predictions in evaluation mode without a graph, and ACC / ASR / R-ACC. */
public final class Evaluation {
    private static final int BATCH = 256;

    private Evaluation() {
    }

    /** The predicted class of every image, in dataset order. */
    public static int[] predict(Module model, Dataset data) {
        return predict(model, data, () -> { });
    }

    private static int[] predict(Module model, Dataset data, Runnable afterBatch) {
        boolean training = model.isTraining();
        model.eval();
        int[] out = new int[data.size()];
        Loader loader = Loader.over(data).batchSize(BATCH).shuffle(false).build();
        // Nothing a batch allocates on the device outlives it (the model is in evaluation mode: its state is fixed).
        StepMemory memory = TrainingMemory.of(model);
        try (var off = GradMode.disabled(); Epoch epoch = loader.epoch(0)) {
            int at = 0;
            for (Batch batch : epoch) {
                int[] p = memory.call(() -> model.forward(batch.images()).argMax(1));
                System.arraycopy(p, 0, out, at, p.length);
                at += p.length;
                afterBatch.run();
            }
        } finally {
            model.train(training);
        }
        return out;
    }

    /** ACC on the clean test set, ASR and R-ACC on the triggered one (not measured when it is null). */
    public static Metrics evaluate(Module model, Dataset cleanTest, TriggeredTestSet triggered) {
        long batches = batches(cleanTest) + (triggered == null ? 0 : batches(triggered.images()));
        try (ProgressBar bar = ProgressBars.open("evaluating", batches)) {
            double acc = Scores.accuracy(predict(model, cleanTest, bar::step), cleanTest.labels());
            if (triggered == null) {
                return Metrics.cleanOnly(acc);
            }
            int[] p = predict(model, triggered.images(), bar::step);
            int[] labels = triggered.images().labels();
            return new Metrics(acc, Scores.attackSuccessRate(p, labels, triggered.poisonedLabels()),
                    Scores.robustAccuracy(p, labels, triggered.poisonedLabels()));
        }
    }

    private static long batches(Dataset data) {
        return (data.size() + BATCH - 1) / BATCH;
    }
}
