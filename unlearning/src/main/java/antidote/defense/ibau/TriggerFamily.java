package antidote.defense.ibau;

import antidote.data.Batch;
import antidote.nn.Module;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * The universal trigger family of I-BAU's inner problem. Its free variables z are one tensor, the inner
 * variable of the ascent and of the implicit hypergradient alike, so the fixed-point and CG machinery is the
 * same for every family.
 */
public interface TriggerFamily {

    /** The family the settings name. */
    static TriggerFamily of(IbauSettings settings) {
        return switch (settings.trigger().perturbation()) {
            case ADDITIVE -> new AdditivePerturbation(settings);
            case MASK_PATTERN -> new MaskPattern(settings);
        };
    }

    /**
     * The round's z: the ascent's passes over {@code batches} on CE − {@link #penalty}; {@code afterStep} gets
     * each step's loss, and no step is taken on a loss that is not finite.
     */
    Tensor find(Module model, List<Batch> batches, DoubleConsumer afterStep);

    /** Every image of {@code x} [N,C,H,W] with the trigger z applied. */
    Tensor apply(Tensor x, Tensor z);

    /** {@code x} with the trigger z on the images whose entry in {@code rows} [N,1,1,1] is 1, the others as they are. */
    Tensor applyTo(Tensor x, Tensor z, Tensor rows);

    /** The budget term (images like {@code x}), differentiable in z: subtracted from the ascent's CE, added to L_in. */
    Tensor penalty(Tensor z, Tensor x);
}
