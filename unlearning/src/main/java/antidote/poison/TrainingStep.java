package antidote.poison;

import antidote.attack.HiddenTrigger;
import antidote.data.Batch;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.optim.Optimizer;
import antidote.tensor.Tensor;

/**
 * What the trainer does with each batch: cross-entropy on the (statically poisoned) batch and a step of every
 * parameter, or, for the hidden trigger's poisoned model, of the last layer only. The one place where an attack changes
 * the training loop (an attack that trains its own networks with the model, such as IAB, would plug in here).
 */
interface TrainingStep {
    /** The step for {@code experiment}'s attack. */
    static TrainingStep of(Experiment experiment) {
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
}
