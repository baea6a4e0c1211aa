package antidote.defense;

import antidote.nn.Module;
import antidote.tensor.Tensor;

import java.util.Map;
import java.util.function.Function;

/**
 * A frozen snapshot of a model's weights that can be run through the same module object: the snapshot is
 * swapped in for one evaluation-mode forward pass and the live weights swapped back. Defenses that compare
 * the model being purified with the original poisoned one (SAU's h_ref) use it instead of a second model.
 */
public final class FrozenCopy {
    private final Module model;
    private final Map<String, Tensor> snapshot;

    /** Freezes {@code model}'s current parameters and buffers. */
    public FrozenCopy(Module model) {
        this.model = model;
        this.snapshot = model.stateDict();
    }

    /** The frozen model's output for {@code x} (in evaluation mode); the live model is left as it was. */
    public Tensor forward(Tensor x) {
        return apply(m -> m.forward(x));
    }

    /**
     * {@code pass} run on the model holding the frozen weights, in evaluation mode (e.g. a forward pass that also
     * reads intermediate outputs); the live model is left as it was. Swapping the weights back gives the live
     * parameters new leaf tensors, so run this before the live model's own forward pass, not between it and its
     * gradient.
     */
    public <T> T apply(Function<Module, T> pass) {
        Map<String, Tensor> live = model.stateDict();
        boolean training = model.isTraining();
        model.loadStateDict(snapshot);
        model.eval();
        try {
            return pass.apply(model);
        } finally {
            model.loadStateDict(live);
            model.train(training);
        }
    }
}
