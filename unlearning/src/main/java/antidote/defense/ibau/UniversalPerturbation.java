package antidote.defense.ibau;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.nn.optim.Sgd;
import antidote.poison.TrainingMemory;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/** The inner maximisation shared by I-BAU and the naive baseline: one universal δ found by gradient ascent. */
public final class UniversalPerturbation {
    private UniversalPerturbation() {
    }

    /**
     * One ascent step per clean batch (per pass) from δ = 0 on CE(f(x+δ), y) − penalty·‖δ‖², with y the model's
     * own predictions or the true labels; δ is projected onto the L2 ball of radius C after every step, once at
     * the end, or never, as the settings say. {@code afterStep} gets each step's loss (the caller checks it); no
     * step is taken on a loss that is not finite.
     */
    public static Tensor find(Module model, List<Batch> batches, IbauSettings settings, DoubleConsumer afterStep) {
        int[] s = batches.get(0).shape();
        Parameter delta = new Parameter(batches.get(0).images().constant(0, Shape.of(1, s[1], s[2], s[3])));
        Optimizer ascent = settings.innerOptimizer() == IbauSettings.InnerOptimizer.ADAM
                ? new Adam(List.of(delta), settings.innerLr()) : new Sgd(List.of(delta), settings.innerLr());
        // Each step in its own memory step: only δ, the optimizer's moments and the model's buffers outlive it.
        StepMemory memory = TrainingMemory.ofVariables(model, List.of(delta), ascent);
        TrainingMemory.resident(batches);
        for (int pass = 0; pass < settings.innerPasses(); pass++) {
            for (Batch batch : batches) {
                afterStep.accept(memory.call(() -> ascentStep(model, batch, delta, ascent, settings)));
            }
        }
        return settings.projection() == IbauSettings.Projection.END ? project(delta.get(), settings.radius())
                : delta.get().detach();
    }

    /** One ascent step on {@code batch}, none when the loss is not finite; returns the loss. */
    private static double ascentStep(Module model, Batch batch, Parameter delta, Optimizer ascent,
                                     IbauSettings settings) {
        Tensor x = batch.images();
        int[] labels = settings.ascentLabels() == IbauSettings.Labels.PREDICTED ? predictions(model, x)
                : batch.labels();
        Tensor d = delta.get();
        // Minimising −CE + penalty·‖δ‖² ascends the loss while keeping δ small.
        Tensor loss = model.forward(perturbed(x, d, settings)).crossEntropy(labels).neg()
                .add(d.square().sum().mul(settings.penalty()));
        double value = loss.item();
        if (Double.isFinite(value)) {
            ascent.step(Autodiff.grad(loss, List.of(d)));
            if (settings.projection() == IbauSettings.Projection.EACH_STEP) {
                delta.set(project(delta.get(), settings.radius()).withGrad());
            }
        }
        return value;
    }

    /** x + δ (δ broadcast over the batch, or already masked), clamped to [0,1] when the settings ask for it. */
    static Tensor perturbed(Tensor x, Tensor delta, IbauSettings settings) {
        Tensor sum = x.add(delta);
        return settings.clamp() ? sum.clamp(0, 1) : sum;
    }

    /**
     * The clean set in batches, kept in memory for the inner and the outer pass: in the set's order (the same
     * list every round) or in this round's seeded order.
     */
    public static List<Batch> roundBatches(Dataset cleanSet, IbauSettings settings, int round) {
        boolean shuffle = settings.batchOrder() == IbauSettings.BatchOrder.SHUFFLED;
        Loader loader = Loader.over(cleanSet).batchSize(settings.batchSize()).shuffle(shuffle)
                .seed(settings.seed() * 1_000_003L + round).prefetch(false).build();
        List<Batch> out = new ArrayList<>();
        try (Epoch epoch = loader.epoch(0)) {
            epoch.forEach(out::add);
        }
        return out;
    }

    /** δ scaled into the L2 ball of radius C. */
    static Tensor project(Tensor delta, double radius) {
        try (var off = GradMode.disabled()) {
            double norm = delta.l2Norm().item();
            return norm <= radius ? delta.detach() : delta.mul(radius / norm).detach();
        }
    }

    /** A [N,1,1,1] mask choosing which images of a batch get δ (at least one when the fraction is positive). */
    public static Tensor rowMask(Tensor x, double fraction, SplittableRandom rng) {
        int n = x.dim(0);
        double[] mask = new double[n];
        int count = fraction == 0 ? 0 : Math.max(1, (int) Math.floor(n * fraction));
        rng.ints(0, n).distinct().limit(count).forEach(i -> mask[i] = 1);
        return Tensor.fromArray(mask, Shape.of(n, 1, 1, 1), x.device()).to(x.dtype());
    }

    /** The model's predicted classes for a batch, without recording a graph. */
    public static int[] predictions(Module model, Tensor x) {
        try (var off = GradMode.disabled()) {
            return model.forward(x).argMax(1);
        }
    }
}
