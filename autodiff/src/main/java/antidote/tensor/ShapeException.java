package antidote.tensor;

/** Thrown when an op receives shapes it cannot combine; the message names the op and the shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
