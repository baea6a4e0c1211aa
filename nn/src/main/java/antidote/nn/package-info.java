/**
 * Building blocks of networks: {@link antidote.nn.Module} (named parameters, buffers and children in
 * registration order, train/eval mode, PyTorch-compatible state dicts), {@link antidote.nn.Parameter} and
 * {@link antidote.nn.Buffer} (mutable holders of immutable tensors) and {@link antidote.nn.Sequential}.
 *
 * <p>Gradients are never stored on parameters: compute them with
 * {@code Autodiff.grad(loss, model.parameterValues())} and hand them to an optimizer in the same order as
 * {@link antidote.nn.Module#parameters()}.
 */
package antidote.nn;
