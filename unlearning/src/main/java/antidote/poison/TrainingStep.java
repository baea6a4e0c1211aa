package antidote.poison;

import antidote.attack.HiddenTrigger;
import antidote.attack.InputAware;
import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Loader;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.optim.Optimizer;
import antidote.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What the trainer does with each batch: cross-entropy on the (statically poisoned) batch and a step of every
 * parameter, or, for the hidden trigger's poisoned model, of the last layer only, or, for the input-aware attack, the
 * model and the attack's generators together ({@link InputAwareTraining}). The one place where an attack changes the
 * training loop.
 */
interface TrainingStep {
    /** The step for {@code experiment}'s attack; {@code poisonRate} is the share of each batch IAB triggers. */
    static TrainingStep of(Experiment experiment, double poisonRate) {
        if (experiment.attack() instanceof InputAware inputAware) {
            return new InputAwareTraining(inputAware, poisonRate);
        }
        // The hidden trigger's clean model (nothing poisoned) is trained in full; its poisoned model fine-tuned.
        if (experiment.attack() instanceof HiddenTrigger && experiment.poisoned().poisonedIndices().length > 0) {
            return new LastLayerTraining();
        }
        return new TrainingStep() {
            @Override
            public Tensor loss(Module model, Batch batch) {
                return model.forward(batch.images()).crossEntropy(batch.labels());
            }

            @Override
            public void update(Tensor loss, Module model, Optimizer optimizer) {
                optimizer.step(Autodiff.grad(loss, model.parameterValues()));
            }
        };
    }

    /** The loss of the model on {@code batch}. */
    Tensor loss(Module model, Batch batch);

    /** One optimisation step of the model from {@code loss}, with {@code optimizer}. */
    void update(Tensor loss, Module model, Optimizer optimizer);

    /**
     * Work before the first epoch to train, over {@code loader}; {@code resumedEpochs} epochs were already trained in
     * {@code workDir}. None by default.
     */
    default void beforeEpochs(Loader loader, int resumedEpochs, Path workDir, PrintStream log) throws IOException {
    }

    /** Saves what besides the model a resumed run needs, after each epoch's checkpoint; nothing by default. */
    default void afterEpoch(Path workDir) throws IOException {
    }

    /** What outlives each step on the device: the model's and the optimizer's state by default. */
    default StepMemory memory(Module model, Optimizer optimizer) {
        return TrainingMemory.of(model, optimizer);
    }

    /** The triggered test images after an epoch: the experiment's own, unless the trigger changes with training. */
    default TriggeredTestSet triggered(Experiment experiment) {
        return experiment.triggered();
    }
}
