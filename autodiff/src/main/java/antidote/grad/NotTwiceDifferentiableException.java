package antidote.grad;

/** Thrown when a graph is differentiated with {@code createGraph=true} through an op whose VJP cannot be. */
public class NotTwiceDifferentiableException extends UnsupportedOperationException {
    public NotTwiceDifferentiableException(String opName) {
        super("op '" + opName + "' has a first-order-only VJP, so its gradient cannot be differentiated again; "
                + "call Autodiff.grad with createGraph=false, or use the composite form of this op");
    }
}
