package antidote.bench;

import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.model.SmallVgg;
import antidote.nn.optim.Adam;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * One I-BAU outer iteration on one batch, step for step the anchor script's {@code IBAUStep.outer_step}
 * (its defaults: 5 SGD steps of lr 0.1 on δ, l2 projection to radius 10, a fixed-point hypergradient with
 * K = 5 and η = 0.1, the outer loss on δ added to 1% of the batch, one Adam step of lr 1e-3). The model
 * stays in training mode, as the script's default {@code --ibau-mode train}. This is a benchmark of the
 * same arithmetic, not the defense itself ({@code antidote.defense.ibau} is that).
 */
final class IbauIteration {
    private static final int INNER_STEPS = 5;
    private static final double INNER_LR = 0.1;
    private static final int FIXED_POINT_STEPS = 5;
    private static final double ALPHA = 0.1;
    private static final double REG = 1e-4;
    private static final double RADIUS = 10.0;
    private static final double PORTION = 0.01;

    private final SmallVgg model;
    private final Adam adam;

    IbauIteration(SmallVgg model) {
        this.model = model;
        this.adam = new Adam(model.parameters(), 1e-3);
    }

    /** The outer optimizer, whose moments must outlive each step. */
    Adam optimizer() {
        return adam;
    }

    /** {@code find_delta}, then {@code hypergrad}, then the Adam step; returns δ. */
    Tensor outerStep(Tensor x, int[] y) {
        model.train();
        Tensor delta = findDelta(x, y);
        adam.step(hypergradient(delta, x, y));
        return delta;
    }

    /** −CE(f(x + δ), y) + reg·‖δ‖²: minimised by the inner map, i.e. ascent on the cross-entropy. */
    private Tensor innerLoss(Tensor delta, Tensor x, int[] y) {
        return model.forward(x.add(delta)).crossEntropy(y).neg().add(delta.square().sum().mul(REG));
    }

    /** CE(f(x + m·δ), y) where m is 1 on the first max(1, ⌊n·portion⌋) samples. */
    private Tensor outerLoss(Tensor delta, Tensor x, int[] y) {
        int n = x.dim(0);
        float[] mask = new float[n];
        java.util.Arrays.fill(mask, 0, Math.max(1, (int) (n * PORTION)), 1f);
        Tensor m = Tensor.fromArray(mask, Shape.of(n, 1, 1, 1), x.device());
        return model.forward(x.add(m.mul(delta))).crossEntropy(y);
    }

    private Tensor findDelta(Tensor x, int[] y) {
        Tensor delta = x.constant(0, Shape.of(1, x.dim(1), x.dim(2), x.dim(3)));
        for (int step = 0; step < INNER_STEPS; step++) {
            Tensor leaf = delta.withGrad();
            Tensor grad = Autodiff.grad(innerLoss(leaf, x, y), List.of(leaf)).get(0);
            try (GradMode.Scope off = GradMode.disabled()) {
                delta = delta.sub(grad.mul(INNER_LR));
            }
        }
        try (GradMode.Scope off = GradMode.disabled()) {
            double norm = delta.l2Norm().item();
            return delta.mul(Math.min(1.0, RADIUS / (norm + 1e-12)));
        }
    }

    /** Grazzi et al.'s fixed-point hypergradient with Φ(δ, θ) = δ − α·∇_δ L_in. */
    private List<Tensor> hypergradient(Tensor delta0, Tensor x, int[] y) {
        Tensor delta = delta0.detach().withGrad();
        List<Tensor> theta = model.parameterValues();
        List<Tensor> outerTargets = new ArrayList<>();
        outerTargets.add(delta);
        outerTargets.addAll(theta);
        List<Tensor> outer = Autodiff.grad(outerLoss(delta, x, y), outerTargets);
        Tensor outerDelta = outer.get(0);
        Tensor innerGrad = Autodiff.grad(innerLoss(delta, x, y), List.of(delta), null, true).get(0);
        Tensor phi = delta.sub(innerGrad.mul(ALPHA));
        Tensor v = delta.zerosLike();
        for (int k = 0; k < FIXED_POINT_STEPS; k++) {
            v = Autodiff.vjp(phi, List.of(delta), v).get(0).add(outerDelta);
        }
        List<Tensor> mixed = Autodiff.vjp(phi, theta, v);
        List<Tensor> grads = new ArrayList<>(theta.size());
        for (int i = 0; i < theta.size(); i++) {
            grads.add(outer.get(i + 1).add(mixed.get(i)));
        }
        return grads;
    }
}
