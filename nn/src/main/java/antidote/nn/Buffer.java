package antidote.nn;

import antidote.tensor.Tensor;

/**
 * Non-trainable state of a {@link Module} that belongs in its state dict (BatchNorm's running
 * statistics). An <em>integral</em> buffer holds whole numbers (a counter) in the module's float dtype;
 * checkpoints store it as I64, PyTorch's dtype for {@code num_batches_tracked}.
 */
public final class Buffer extends Slot {
    private final boolean integral;

    /** A buffer holding {@code initial}; {@code integral} marks a counter stored as I64 in checkpoints. */
    public Buffer(Tensor initial, boolean integral) {
        super(initial.detach());
        this.integral = integral;
    }

    /** Replaces the held tensor (detached) with {@code value}, which must have the same shape. */
    public void set(Tensor value) {
        replace(value.detach());
    }

    /** True when the buffer holds whole numbers, saved as I64. */
    public boolean integral() {
        return integral;
    }
}
