package antidote.poison;

import antidote.backend.cuda.StepMemory;
import antidote.nn.Buffer;
import antidote.nn.Module;
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
                model.namedBuffers().values().stream().map(Buffer::get).forEach(state::add);
            }
            for (Optimizer o : optimizers) {
                state.addAll(o.state());
            }
            return state;
        });
    }
}
