/**
 * The op registry: one class per op family, one stateless entry per primitive (only final attributes), each with
 * a shape rule, a kernel call and a rule that returns the gradients of all the inputs asked for at once, written
 * only with Tensor operations (so gradients can be differentiated again), in the manner of PyTorch's
 * derivatives.yaml. Values a rule reads again, such as batch norm's moments, are inputs of its graph node.
 */
package antidote.op;
