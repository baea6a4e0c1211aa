package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/**
 * One registered primitive with its attributes: a shape rule, a forward pass through one backend
 * kernel, and a vector-Jacobian product written only with {@link Tensor} operations, so that
 * differentiating a gradient again works.
 */
public interface Op {

    Primitive primitive();

    /** The output shape; throws {@link antidote.tensor.ShapeException} naming the op and the shapes. */
    Shape outputShape(Tensor[] inputs);

    /** Runs the kernel. */
    Storage forward(Backend backend, Tensor[] inputs, Shape outputShape);

    /**
     * The gradient with respect to {@code inputs[input]}, given the output and the gradient flowing into
     * it. Called only for inputs on a path to a differentiation target.
     */
    Tensor vjp(Tensor[] inputs, Tensor output, int input, Tensor gradOutput);

    /** False for ops whose output never carries a gradient (comparisons). */
    default boolean differentiable() {
        return true;
    }

    /**
     * False when the VJP uses something that cannot itself be differentiated (a fused backward kernel);
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
