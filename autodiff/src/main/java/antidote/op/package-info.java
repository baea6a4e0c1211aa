/**
 * The op registry: one class per op family, one entry per primitive, each with a shape rule, a kernel
 * call and a named VJP written only with Tensor operations (so gradients can be differentiated again).
 */
package antidote.op;
