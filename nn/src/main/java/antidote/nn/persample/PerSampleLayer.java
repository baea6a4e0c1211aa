package antidote.nn.persample;

import antidote.tensor.Tensor;

import java.util.List;

/**
 * A layer that owns parameters and can give their gradients per sample from its input and the gradient of its
 * output, both with the batch on axis 0 (the per-sample gradient trick of Goodfellow, 2015, and Opacus).
 */
public interface PerSampleLayer {

    /**
     * Makes the next forward passes report this layer's input and output to {@code capture}; null stops reporting.
     */
    void captureInto(LayerCapture capture);

    /**
     * For each of this layer's own parameters, in registration order, its gradient for each sample: a tensor
     * [N, ...parameter shape] whose row n is the gradient of the n-th sample's loss, given the layer's
     * {@code input} and {@code gradOutput}, the gradient of the summed loss with respect to its output.
     *
     * @throws IllegalStateException when the layer mixes samples (batch norm in training mode)
     */
    List<Tensor> perSampleGradients(Tensor input, Tensor gradOutput);
}
