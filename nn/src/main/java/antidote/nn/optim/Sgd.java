package antidote.nn.optim;

import antidote.grad.GradMode;
import antidote.nn.Parameter;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's update ({@code torch.optim.SGD}): with g = ∇ + λ·θ,
 * b₁ = g, then b_t = μ·b_{t−1} + (1 − τ)·g; the step direction is g + μ·b_t with Nesterov momentum
 * (Sutskever et al., 2013, as reformulated by PyTorch), b_t otherwise, and θ ← θ − lr·direction. With
 * μ = 0 it is plain SGD (Robbins and Monro, 1951).
 */
public final class Sgd implements Optimizer {
    private final List<Parameter> params;
    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;
    private final Tensor[] buffers;
    private double lr;

    /** Plain SGD: no momentum, no weight decay. */
    public Sgd(List<Parameter> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    /**
     * @param momentum    μ (0 disables momentum)
     * @param dampening   τ, applied to the gradient from the second step on
     * @param weightDecay λ, L2 penalty added to the gradient
     * @param nesterov    Nesterov momentum; needs μ > 0 and τ = 0
     */
    public Sgd(List<Parameter> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        ParameterUpdates.checkNonNegative("Sgd", "lr", lr);
        ParameterUpdates.checkNonNegative("Sgd", "momentum", momentum);
        ParameterUpdates.checkNonNegative("Sgd", "dampening", dampening);
        ParameterUpdates.checkNonNegative("Sgd", "weightDecay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Sgd: Nesterov momentum needs momentum > 0 and dampening 0, got "
                    + momentum + " and " + dampening);
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.buffers = new Tensor[params.size()];
    }

    @Override
    public void step(List<Tensor> grads) {
        ParameterUpdates.checkGradients("Sgd", params, grads);
        try (GradMode.Scope off = GradMode.disabled()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor theta = params.get(i).get().detach();
                Tensor g = grads.get(i).detach();
                if (weightDecay != 0) {
                    g = g.add(theta.mul(weightDecay));
                }
                Tensor direction = g;
                if (momentum != 0) {
                    buffers[i] = buffers[i] == null ? g : buffers[i].mul(momentum).add(g.mul(1 - dampening));
                    direction = nesterov ? g.add(buffers[i].mul(momentum)) : buffers[i];
                }
                ParameterUpdates.write(params.get(i), theta.sub(direction.mul(lr)));
            }
        }
    }

    @Override
    public List<Tensor> state() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor[] slots : new Tensor[][] {buffers}) {
            for (Tensor t : slots) {
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        ParameterUpdates.checkNonNegative("Sgd", "lr", lr);
        this.lr = lr;
    }
}
