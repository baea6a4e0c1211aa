package antidote.defense.trigger;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.defense.DivergenceException;
import antidote.defense.RoundObserver;
import antidote.defense.Setting;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.poison.TrainingMemory;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Neural Cleanse's mitigation, shared by the trigger-synthesis defenses: fine-tune on the clean set where a
 * fraction of each batch carries one of the recovered triggers (each image a random one) but keeps its true
 * label, so the model unlearns the association. With no trigger the model is left unchanged.
 */
public final class TriggerUnlearning {

    /**
     * @param epochs            passes over the clean set (1, as the Neural Cleanse paper)
     * @param batchSize         clean images per batch
     * @param lr                Adam learning rate
     * @param triggeredFraction share of each batch that carries a recovered trigger (0.2, as the paper)
     */
    public record Settings(@Setting("passes over the clean set while unlearning the flagged triggers") int epochs,
                           @Setting("clean images per unlearning batch") int batchSize,
                           @Setting("Adam learning rate of the unlearning fine-tune") double lr,
                           @Setting("share of each unlearning batch stamped with a recovered trigger (true labels)")
                           double triggeredFraction) {
        public static final Settings DEFAULT = new Settings(1, 128, 1e-3, 0.2);

        public Settings {
            if (epochs < 1 || batchSize < 1 || !(lr > 0) || !(triggeredFraction > 0 && triggeredFraction <= 1)) {
                throw new IllegalArgumentException("unlearning needs epochs >= 1, batch size >= 1, lr > 0 and a "
                        + "triggered fraction in (0,1]; got " + epochs + ", " + batchSize + ", " + lr + ", "
                        + triggeredFraction);
            }
        }
    }

    private TriggerUnlearning() {
    }

    /** The number of batches per unlearning epoch, for progress. */
    public static int batchesPerEpoch(Dataset cleanSet, Settings settings) {
        return (cleanSet.size() + settings.batchSize() - 1) / settings.batchSize();
    }

    /**
     * Unlearns {@code triggers} (round = epoch). When there are none, the model stays as it is and the observer
     * still hears of one round, so the runner reports the unchanged model. Progress of round 1 is reported after
     * {@code firstRoundOffset} steps already spent (the detection) out of {@code firstRoundSteps}.
     */
    public static void run(String defense, Module model, Dataset cleanSet, List<? extends Trigger> triggers,
                           Settings settings, long seed, RoundObserver observer, int firstRoundOffset,
                           int firstRoundSteps) {
        if (triggers.isEmpty()) {
            observer.afterRound(1, model);
            return;
        }
        Optimizer optimizer = new Adam(model.parameters(), settings.lr());
        Loader loader = Loader.over(cleanSet).batchSize(settings.batchSize()).seed(seed).build();
        SplittableRandom rng = new SplittableRandom(seed);
        // Each batch in a memory step, as DefenseLoop runs the other defenses' batches; the triggers stay.
        StepMemory memory = TrainingMemory.of(model, optimizer);
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            model.train();
            int b = 0;
            try (Epoch batches = loader.epoch(epoch)) {
                for (Batch batch : batches) {
                    int round = epoch;
                    int index = b++;
                    memory.run(() -> {
                        Tensor x = stamp(batch.images(), triggers, settings.triggeredFraction(), rng);
                        Tensor loss = model.forward(x).crossEntropy(batch.labels());
                        DivergenceException.check(defense, round, index, loss.item());
                        optimizer.step(Autodiff.grad(loss, model.parameterValues()));
                    });
                    if (epoch == 1) {
                        observer.afterStep(1, firstRoundOffset + b, firstRoundSteps);
                    } else {
                        observer.afterStep(epoch, b, loader.numBatches());
                    }
                }
            }
            model.eval();
            observer.afterRound(epoch, model);
        }
    }

    /**
     * The batch with {@code fraction} of its images (at least one) stamped, each with a trigger drawn at random
     * from {@code triggers}.
     */
    static Tensor stamp(Tensor images, List<? extends Trigger> triggers, double fraction, SplittableRandom rng) {
        int n = images.dim(0);
        int count = Math.max(1, (int) Math.round(n * fraction));
        double[][] rows = new double[triggers.size()][n];
        int[] chosenRows = rng.ints(0, n).distinct().limit(count).toArray();
        for (int i : chosenRows) {
            rows[rng.nextInt(triggers.size())][i] = 1;
        }
        try (var off = GradMode.disabled()) {
            Tensor out = images;
            for (int t = 0; t < triggers.size(); t++) {
                Tensor chosen = Tensor.fromArray(rows[t], Shape.of(n, 1, 1, 1), images.device()).to(images.dtype());
                out = out.add(chosen.mul(triggers.get(t).stamp(images).sub(images)));
            }
            return out.detach();
        }
    }
}
