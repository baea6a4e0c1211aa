package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/**
 * One registered primitive: a stateless value holding only its attributes (eps, axes, geometry), with a shape
 * rule, a forward pass through one backend kernel, and a derivative rule written only with {@link Tensor}
 * operations, so that differentiating a gradient again works.
 */
public interface Op {

    Primitive primitive();

    /** The output shape; throws {@link antidote.tensor.ShapeException} naming the op and the shapes. */
    Shape outputShape(Tensor[] inputs);

    /** Runs the kernel. */
    Storage forward(Backend backend, Tensor[] inputs, Shape outputShape);

    /**
     * The rule: the gradients of the inputs flagged in {@code needed}, all from one call, given what the node
     * recorded and the gradient flowing into the output. Entries not flagged, and inputs that take no gradient,
     * are null. Autodiff calls it once per node and backward pass, with at least one input flagged.
     */
    Tensor[] vjp(Context context, Tensor gradOutput, boolean[] needed);

    /** False for ops whose output never carries a gradient (comparisons). */
    default boolean differentiable() {
        return true;
    }

    /**
     * False when the rule uses something that cannot itself be differentiated (a fused backward kernel);
     * {@code Autodiff} then refuses {@code createGraph=true} through this op.
     */
    default boolean twiceDifferentiable() {
        return true;
    }

    /** A short name for messages: the primitive in lower case. */
    default String name() {
        return primitive().name().toLowerCase(java.util.Locale.ROOT);
    }
}
