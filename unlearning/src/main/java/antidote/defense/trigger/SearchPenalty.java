package antidote.defense.trigger;

import antidote.nn.Module;
import antidote.tensor.Tensor;

/**
 * Extra terms of a mask search's loss beyond cross-entropy and λ‖m‖₁ (TABOR's regularisers), one value per
 * searched class, so that each class's mask and pattern get only their own gradient.
 */
@FunctionalInterface
public interface SearchPenalty {
    /** Neural Cleanse: no extra term. */
    SearchPenalty NONE = (masks, patterns, images, labels, targets, model) -> null;

    /**
     * @param masks    [A,1,H,W] in [0,1], one per searched class
     * @param patterns [A,C,H,W] in [0,1]
     * @param images   the clean batch [B,C,H,W]
     * @param labels   its true labels
     * @param targets  the A searched classes
     * @param model    the frozen model, in evaluation mode
     * @return the penalty of each class [A], or null for none
     */
    Tensor perClass(Tensor masks, Tensor patterns, Tensor images, int[] labels, int[] targets, Module model);
}
