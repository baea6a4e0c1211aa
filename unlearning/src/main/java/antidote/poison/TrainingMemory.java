package antidote.poison;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.nn.Buffer;
import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.nn.optim.Optimizer;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link StepMemory} of a loop over batches that updates {@code model} (and {@code optimizers}): what survives
 * each step is the model's parameters and buffers and the optimizers' state; every other device buffer a step makes
 * is released when it ends, so device memory does not grow with the number of batches.
 */
public final class TrainingMemory {
    private TrainingMemory() {
    }

    /** Step memory whose survivors are {@code model}'s parameters and buffers and each optimizer's state. */
    public static StepMemory of(Module model, Optimizer... optimizers) {
        return of(List.of(model), optimizers);
    }

    /** Step memory whose survivors are every module's parameters and buffers and each optimizer's state. */
    public static StepMemory of(List<Module> modules, Optimizer... optimizers) {
        return new StepMemory(() -> {
            List<Tensor> state = new ArrayList<>();
            for (Module model : modules) {
                state.addAll(model.parameterValues());
                addBuffers(model, state);
            }
            for (Optimizer o : optimizers) {
                state.addAll(o.state());
            }
            return state;
        });
    }

    /**
     * Step memory of a search over free variables (a perturbation, a mask and pattern) against a frozen model: what
     * survives each step is the variables' values, the optimizer's state and the model's buffers (a model left in
     * training mode updates its batch-norm running statistics on every forward pass of the search, as PyTorch's does).
     */
    public static StepMemory ofVariables(Module model, List<Parameter> variables, Optimizer optimizer) {
        return new StepMemory(() -> {
            List<Tensor> state = new ArrayList<>();
            variables.forEach(v -> state.add(v.get()));
            state.addAll(optimizer.state());
            addBuffers(model, state);
            return state;
        });
    }

    /** Adds the values of {@code model}'s buffers (batch-norm running statistics) to {@code state}. */
    private static void addBuffers(Module model, List<Tensor> state) {
        model.namedBuffers().values().stream().map(Buffer::get).forEach(state::add);
    }

    /** Puts every batch's images on the device now, outside the steps, so that no step's release takes them. */
    public static List<Batch> resident(List<Batch> batches) {
        batches.forEach(Batch::images);
        return batches;
    }
}
