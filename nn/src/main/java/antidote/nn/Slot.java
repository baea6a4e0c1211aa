package antidote.nn;

import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/** A mutable holder of one immutable tensor whose shape is fixed when the slot is made. */
abstract class Slot {
    private final Shape shape;
    private Tensor value;

    Slot(Tensor initial) {
        this.shape = initial.shape();
        this.value = initial;
    }

    /** The tensor held now. */
    public final Tensor get() {
        return value;
    }

    /** The fixed shape of the held tensor. */
    public final Shape shape() {
        return shape;
    }

    final void replace(Tensor next) {
        if (!next.shape().equals(shape)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".set: shape " + next.shape()
                    + " differs from the slot's shape " + shape + "; reshape the value or use a matching model");
        }
        value = next;
    }
}
