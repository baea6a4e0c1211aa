package antidote.bench;

import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.model.PreActResNet18;
import antidote.nn.model.SmallVgg;
import antidote.nn.optim.Adam;
import antidote.nn.persample.PerSampleGradients;
import antidote.privacy.DpSettings;
import antidote.privacy.GradientPrivatizer;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The anchor script's {@code vgg} and {@code hvp} sections: a freshly initialised SmallVgg (or PreAct-ResNet18,
 * BackdoorBench's model), one batch of
 * uniform [0, 1) images with random labels, and the three timed calls (eval forward, train step, the mixed
 * second-order product ∂/∂θ ⟨∇_δL, v⟩ with its forward and first backward included), and a DP-SGD step for
 * comparison with the train step.
 */
final class ModelScenario {
    static final int CLASSES = 10;

    final Module model;
    final Tensor x;
    final int[] labels;
    private final Adam adam;
    private final Tensor delta;
    private final Tensor v;
    private final GradientPrivatizer privatizer;
    private final SplittableRandom noise = new SplittableRandom(1);

    /** SmallVgg for {@code input}. */
    ModelScenario(InputShape input, int batch) {
        this(input, batch, rng -> new SmallVgg(input.channels(), input.height(), input.width(), CLASSES, rng));
    }

    private ModelScenario(InputShape input, int batch, Function<SplittableRandom, Module> makeModel) {
        SplittableRandom rng = new SplittableRandom(0);
        model = makeModel.apply(rng);
        x = Tensor.rand(rng, batch, input.channels(), input.height(), input.width());
        labels = rng.ints(batch, 0, CLASSES).toArray();
        adam = new Adam(model.parameters(), 1e-3);
        delta = Tensor.randn(rng, 1, input.channels(), input.height(), input.width()).mul(0.01).withGrad();
        v = Tensor.randn(rng, 1, input.channels(), input.height(), input.width());
        privatizer = new GradientPrivatizer(DpSettings.DEFAULT, batch);
    }

    /** PreAct-ResNet18 for {@code input}, as BackdoorBench trains it. */
    static ModelScenario preActResNet18(InputShape input, int batch) {
        return new ModelScenario(input, batch, rng -> new PreActResNet18(input.channels(), CLASSES, rng));
    }

    /** The optimizer of {@link #trainStep}, whose moments must outlive each step. */
    Adam optimizer() {
        return adam;
    }

    /** {@code model.eval(); with torch.no_grad(): model(x)}. */
    Tensor evalForward() {
        model.eval();
        try (GradMode.Scope off = GradMode.disabled()) {
            return model.forward(x);
        }
    }

    /** {@code model.train(); loss = CE(model(x), y); loss.backward(); adam.step()}. */
    double trainStep() {
        model.train();
        Tensor loss = model.forward(x).crossEntropy(labels);
        adam.step(Autodiff.grad(loss, model.parameterValues()));
        return loss.item();
    }

    /**
     * One DP-SGD step on the same batch: per-sample gradients, clipping to 1, noise σ = 1.5, Adam; batch norm on
     * fixed statistics, as DP-SGD training runs it.
     */
    double dpTrainStep() {
        PerSampleGradients.trainingMode(model);
        PerSampleGradients pass = PerSampleGradients.forward(model, x);
        Tensor loss = pass.logits().crossEntropy(labels);
        List<Tensor> perSample = pass.gradients(loss.mul(labels.length));
        adam.step(privatizer.privatize(perSample, noise));
        return loss.item();
    }

    /** {@code g = grad(CE(model(x + δ), y), δ, create_graph=True); grad(⟨g, v⟩, θ)} in the given mode. */
    List<Tensor> mixedProduct(boolean training) {
        model.train(training);
        List<Tensor> theta = model.parameterValues();
        Tensor loss = model.forward(x.add(delta)).crossEntropy(labels);
        return Autodiff.mixedProduct(loss, delta, theta, v);
    }
}
