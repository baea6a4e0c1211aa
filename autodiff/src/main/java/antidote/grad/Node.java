package antidote.grad;

import antidote.op.Op;
import antidote.tensor.Tensor;

/**
 * How a tensor was made: the op (with its attributes) and its inputs. Nodes live on the tensors themselves, so
 * the garbage collector frees a graph nobody references; there is no global tape. A backward pass without
 * {@code retainGraph} releases each node's inputs once its rule has run, so activations are freed as it goes.
 */
public final class Node {
    private final Op op;
    private Tensor[] inputs;

    public Node(Op op, Tensor[] inputs) {
        this.op = op;
        this.inputs = inputs;
    }

    public Op op() {
        return op;
    }

    /** The recorded inputs; refused with one line once an earlier backward pass released them. */
    public Tensor[] inputs() {
        if (inputs == null) {
            throw new IllegalStateException("grad: trying to differentiate through a graph a second time: op '"
                    + op.name() + "' released its inputs in an earlier Autodiff.grad call; pass retainGraph=true to "
                    + "that earlier call (Autodiff.grad(output, targets, seed, createGraph, true))");
        }
        return inputs;
    }

    /** Drops the inputs, so that what only this node referenced becomes garbage. */
    void release() {
        inputs = null;
    }
}
