package antidote.nn.optim;

import antidote.tensor.Tensor;

import java.util.List;

/**
 * Updates a fixed list of parameters from one gradient per parameter, in the same order. Call order per
 * batch: forward, {@code grads = Autodiff.grad(loss, model.parameterValues())}, {@code step(grads)}; a
 * schedule's {@code step()} follows the epoch's last optimizer step (see the package documentation).
 */
public interface Optimizer {

    /** Applies one update; {@code grads.get(i)} is the gradient of the loss for parameter i. */
    void step(List<Tensor> grads);

    /** The learning rate the next {@link #step} uses. */
    double learningRate();

    /** Sets the learning rate (schedules call this). */
    void setLearningRate(double lr);

    /**
     * The tensors the optimizer carries from one step to the next (moments, momentum buffers), so that a loop that
     * frees each step's device memory knows to keep them; empty before the first step.
     */
    List<Tensor> state();
}
