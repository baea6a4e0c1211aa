package antidote.defense;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.nn.Module;
import antidote.nn.optim.Optimizer;
import antidote.poison.TrainingMemory;

/**
 * The loop every defense runs, so that each defense keeps only what differs: rounds (or epochs) of batches, the
 * NaN/Inf stop naming the defense, round and batch, progress after each batch, and, after each round, the model
 * in evaluation mode handed to the {@link RoundObserver} (which measures it). Each batch of {@link #epochs} runs
 * in a {@link TrainingMemory} step, so that on a GPU the device memory does not grow with the number of batches.
 */
public final class DefenseLoop {
    private DefenseLoop() {
    }

    /** One batch's work; returns its loss, which the loop checks. */
    @FunctionalInterface
    public interface BatchStep {
        double run(Batch batch, int round, int index);
    }

    /** The body of one round: it announces its batches to {@code progress} and reports each one's loss. */
    @FunctionalInterface
    public interface RoundBody {
        void run(int round, Progress progress);
    }

    /** Counts a round's batches for the observer and checks each loss. */
    public static final class Progress {
        private final String defense;
        private final int round;
        private final RoundObserver observer;
        private int steps;
        private int done;

        private Progress(String defense, int round, RoundObserver observer) {
            this.defense = defense;
            this.round = round;
            this.observer = observer;
        }

        /** The round will report {@code count} batches in all. */
        public void expect(int count) {
            steps = count;
        }

        /** One more batch is done with {@code loss}; throws {@link DivergenceException} when it is not finite. */
        public void step(double loss) {
            DivergenceException.check(defense, round, done, loss);
            observer.afterStep(round, ++done, steps);
        }
    }

    /** Runs {@code rounds} rounds of {@code body}; after each, the model (in evaluation mode) goes to the observer. */
    public static void run(String defense, Module model, int rounds, RoundBody body, RoundObserver observer) {
        for (int round = 1; round <= rounds; round++) {
            body.run(round, new Progress(defense, round, observer));
            model.eval();
            observer.afterRound(round, model);
        }
    }

    /**
     * {@link #run} where each round is one epoch of {@code loader} with {@code step} on every batch. A step may
     * update only {@code model} and {@code optimizer}: every other device buffer it makes is released when it
     * ends (a batch's images included, so batches must not be reused across steps).
     */
    public static void epochs(String defense, Module model, Optimizer optimizer, int epochs, Loader loader,
                              BatchStep step, RoundObserver observer) {
        StepMemory memory = TrainingMemory.of(model, optimizer);
        run(defense, model, epochs, (epoch, progress) -> {
            progress.expect(loader.numBatches());
            int[] index = {0};
            try (Epoch batches = loader.epoch(epoch)) {
                for (Batch batch : batches) {
                    progress.step(memory.call(() -> step.run(batch, epoch, index[0]++)));
                }
            }
        }, observer);
    }
}
