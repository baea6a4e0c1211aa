package antidote.defense.ibau;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.defense.Defense;
import antidote.defense.DefenseLoop;
import antidote.defense.RoundObserver;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.poison.TrainingMemory;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Implicit backdoor adversarial unlearning (Zeng et al., ICLR 2022): min over θ of max over one universal
 * perturbation δ (‖δ‖₂ ≤ C) of the clean loss, or over another universal trigger family
 * ({@link TriggerFamily}; δ then stands for its free variables). Each round finds δ by gradient ascent over the
 * clean set, then takes one outer step per batch along the implicit hypergradient ({@link ImplicitHypergradient}).
 * The model runs in evaluation mode throughout (running BatchNorm statistics, no dropout), as the
 * reference code does.
 *
 * <p>{@link #naive} gives the baseline of the paper's Figure 1: the same loop with the plain gradient
 * ∇_θL_out in place of the hypergradient, ignoring how δ depends on θ (the paper shows it is unstable).
 */
public final class Ibau implements Defense {
    private final IbauSettings settings;
    private final boolean implicit;
    private final TriggerFamily family;

    /** I-BAU with the implicit hypergradient. */
    public Ibau(IbauSettings settings) {
        this(settings, true);
    }

    private Ibau(IbauSettings settings, boolean implicit) {
        this.settings = settings;
        this.implicit = implicit;
        this.family = TriggerFamily.of(settings);
    }

    /** The naive adversarial-unlearning baseline with universal perturbations ("naive-uap"). */
    public static Ibau naive(IbauSettings settings) {
        return new Ibau(settings, false);
    }

    @Override
    public String name() {
        return implicit ? "ibau" : "naive-uap";
    }

    @Override
    public IbauSettings settings() {
        return settings;
    }

    @Override
    public void purify(Module model, Dataset cleanSet, RoundObserver observer) {
        model.eval();
        Optimizer outer = new Adam(model.parameters(), settings.outerLr());
        SplittableRandom rng = new SplittableRandom(settings.seed());
        boolean reshuffle = settings.batchOrder() == IbauSettings.BatchOrder.SHUFFLED;
        List<List<Batch>> fixed = new ArrayList<>();
        // The unlearning steps run in memory steps; the ascent's δ and the round's batches (on the device since
        // the ascent) are made outside them and stay.
        StepMemory memory = TrainingMemory.of(model, outer);
        DefenseLoop.run(name(), model, settings.rounds(), (round, progress) -> {
            if (fixed.isEmpty() || reshuffle) {
                fixed.clear();
                fixed.add(UniversalPerturbation.roundBatches(cleanSet, settings, round));
            }
            List<Batch> batches = fixed.get(0);
            // A round is the ascent's passes over the clean set, then one pass of unlearning steps.
            progress.expect((settings.innerPasses() + 1) * batches.size());
            Tensor delta = family.find(model, batches, progress::step);
            for (Batch batch : batches) {
                Batch mapBatch = settings.fixedPointBatch() == IbauSettings.MapBatch.FIRST ? batches.get(0) : batch;
                progress.step(memory.call(() -> unlearnStep(model, outer, batch, mapBatch, delta, rng)));
            }
        }, observer);
    }

    /**
     * One outer step on {@code batch} at the round's δ: L_out with δ on a random share of the batch, then one
     * optimizer step along the implicit hypergradient (the fixed-point map built on {@code mapBatch}) or, for the
     * naive baseline, the plain gradient. The model's mode is left as it is. Returns L_out; no step is taken when
     * it is not finite.
     */
    public double unlearnStep(Module model, Optimizer outer, Batch batch, Batch mapBatch, Tensor perturbation,
                              SplittableRandom rng) {
        List<Tensor> theta = new ArrayList<>();
        model.parameterValues().forEach(t -> theta.add(t.detach().withGrad()));
        model.setParameterValues(theta);
        Tensor delta = perturbation.detach().withGrad();

        Tensor x = batch.images();
        Tensor mask = UniversalPerturbation.rowMask(x, settings.perturbedShare(), rng);
        Tensor outerLoss = model.forward(family.applyTo(x, delta, mask)).crossEntropy(batch.labels());
        double loss = outerLoss.item();
        if (!Double.isFinite(loss)) {
            return loss;
        }
        if (implicit) {
            Tensor inner = model.forward(family.apply(mapBatch.images(), delta))
                    .crossEntropy(mapBatch.labels()).neg()
                    .add(family.penalty(delta, mapBatch.images()));
            outer.step(ImplicitHypergradient.compute(inner, outerLoss, delta, theta, settings.hypergradient())
                    .gradients());
        } else {
            outer.step(Autodiff.grad(outerLoss, theta));
        }
        return loss;
    }
}
