/**
 * Optimizers that update {@link antidote.nn.Parameter}s from gradients returned by
 * {@code Autodiff.grad}, with PyTorch's exact update formulas, and a learning-rate schedule.
 *
 * <p>Call order, per batch and per epoch:
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameters(), 1e-3);
 * CosineAnnealing schedule = new CosineAnnealing(opt, epochs, 0.0);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     for (Batch b : batches) {
 *         Tensor loss = model.forward(b.x()).crossEntropy(b.labels());
 *         opt.step(Autodiff.grad(loss, model.parameterValues()));   // grads in parameters() order
 *     }
 *     schedule.step();                                              // after the epoch's optimizer steps
 * }
 * }</pre>
 * Updates run with gradient recording off; each parameter receives a fresh leaf.
 */
package antidote.nn.optim;
