/** Reverse-mode differentiation over the graph tensors carry: gradients, VJPs, Hessian-vector products. */
package antidote.grad;
