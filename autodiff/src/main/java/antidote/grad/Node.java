package antidote.grad;

import antidote.op.Op;
import antidote.tensor.Tensor;

/**
 * How a tensor was made: the op (with its attributes) and its inputs. Nodes live on the tensors
 * themselves, so the garbage collector frees a graph nobody references; there is no global tape.
 */
public record Node(Op op, Tensor[] inputs) {
}
