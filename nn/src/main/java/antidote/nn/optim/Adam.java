package antidote.nn.optim;

import antidote.grad.GradMode;
import antidote.nn.Parameter;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with optional AMSGrad (Reddi et al., 2018), exactly as
 * {@code torch.optim.Adam}: g = ∇ + λ·θ (L2 weight decay, not AdamW), m = β₁m + (1−β₁)g,
 * v = β₂v + (1−β₂)g², v̂ = max(v̂, v) with AMSGrad, then
 * θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε), where v is replaced by v̂ with AMSGrad.
 */
public final class Adam implements Optimizer {
    /** PyTorch's defaults. */
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPS = 1e-8;

    private final List<Parameter> params;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean amsgrad;
    private final Tensor[] firstMoments;
    private final Tensor[] secondMoments;
    private final Tensor[] maxSecondMoments;
    private double lr;
    private int steps;

    /** PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay, no AMSGrad. */
    public Adam(List<Parameter> params, double lr) {
        this(params, lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0, false);
    }

    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean amsgrad) {
        ParameterUpdates.checkNonNegative("Adam", "lr", lr);
        ParameterUpdates.checkNonNegative("Adam", "eps", eps);
        ParameterUpdates.checkNonNegative("Adam", "weightDecay", weightDecay);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        this.firstMoments = new Tensor[params.size()];
        this.secondMoments = new Tensor[params.size()];
        this.maxSecondMoments = new Tensor[params.size()];
    }

    @Override
    public void step(List<Tensor> grads) {
        ParameterUpdates.checkGradients("Adam", params, grads);
        steps++;
        double biasCorrection1 = 1 - Math.pow(beta1, steps);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        double stepSize = lr / biasCorrection1;
        try (GradMode.Scope off = GradMode.disabled()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor theta = params.get(i).get().detach();
                Tensor g = grads.get(i).detach();
                if (weightDecay != 0) {
                    g = g.add(theta.mul(weightDecay));
                }
                Tensor m = firstMoments[i] == null ? g.zerosLike() : firstMoments[i];
                Tensor v = secondMoments[i] == null ? g.zerosLike() : secondMoments[i];
                firstMoments[i] = m.mul(beta1).add(g.mul(1 - beta1));
                secondMoments[i] = v.mul(beta2).add(g.square().mul(1 - beta2));
                Tensor second = secondMoments[i];
                if (amsgrad) {
                    maxSecondMoments[i] = maxSecondMoments[i] == null ? second : maxSecondMoments[i].maximum(second);
                    second = maxSecondMoments[i];
                }
                Tensor denominator = second.sqrt().div(biasCorrection2Sqrt).add(eps);
                ParameterUpdates.write(params.get(i), theta.sub(firstMoments[i].div(denominator).mul(stepSize)));
            }
        }
    }

    @Override
    public List<Tensor> state() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor[] slots : new Tensor[][] {firstMoments, secondMoments, maxSecondMoments}) {
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
        ParameterUpdates.checkNonNegative("Adam", "lr", lr);
        this.lr = lr;
    }
}
