/**
 * Per-sample gradients for a whole batch at once, for DP-SGD (Abadi et al., 2016): each layer that owns
 * parameters ({@link PerSampleLayer}) reports the input it saw and the output it produced in one forward pass
 * ({@link LayerCapture}); one backward pass gives the gradient of every captured output, and each layer turns its
 * input and its output gradient into one gradient per sample ({@link PerSampleRules}: outer products for linear
 * layers, an unfolded input times the output gradient for convolutions, per-channel sums for batch-norm's affine
 * parameters). The per-sample parameter gradients are never formed from one image at a time.
 *
 * <p>Batch normalisation in training mode mixes the samples of a batch (each output depends on the batch mean),
 * so a sample's gradient is not its own: per-sample gradients are defined here only for batch norm in evaluation
 * mode, on fixed statistics, and a training-mode batch norm is refused with a one-line message.
 */
package antidote.nn.persample;
