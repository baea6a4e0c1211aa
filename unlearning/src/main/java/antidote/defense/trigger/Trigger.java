package antidote.defense.trigger;

import antidote.tensor.Tensor;

/** A recovered trigger for one class: how it is stamped on images, for unlearning. */
public interface Trigger {

    /** The class this trigger sends images to. */
    int target();

    /** {@code images} [N,C,H,W] in [0,1] with the trigger applied. */
    Tensor stamp(Tensor images);
}
