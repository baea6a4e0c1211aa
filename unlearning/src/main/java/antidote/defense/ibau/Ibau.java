package antidote.defense.ibau;

import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.defense.Defense;
import antidote.defense.DivergenceException;
import antidote.defense.RoundObserver;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Implicit backdoor adversarial unlearning (Zeng et al., ICLR 2022): min over θ of max over one universal
 * perturbation δ (‖δ‖₂ ≤ C) of the clean loss. Each round finds δ by gradient ascent over the clean set,
 * then takes one outer step per batch along the implicit hypergradient ({@link ImplicitHypergradient}).
 * The model runs in evaluation mode throughout (running BatchNorm statistics, no dropout), as the
 * reference code does.
 *
 * <p>{@link #naive} gives the baseline of the paper's Figure 1: the same loop with the plain gradient
 * ∇_θL_out in place of the hypergradient, ignoring how δ depends on θ (the paper shows it is unstable).
 */
public final class Ibau implements Defense {
    private final IbauSettings settings;
    private final boolean implicit;

    /** I-BAU with the implicit hypergradient. */
    public Ibau(IbauSettings settings) {
        this(settings, true);
    }

    private Ibau(IbauSettings settings, boolean implicit) {
        this.settings = settings;
        this.implicit = implicit;
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
        List<Batch> batches = null;
        for (int round = 1; round <= settings.rounds(); round++) {
            if (batches == null || reshuffle) {
                batches = UniversalPerturbation.roundBatches(cleanSet, settings, round);
            }
            // A round is the ascent's passes over the clean set, then one pass of unlearning steps.
            int r = round;
            int steps = (settings.innerPasses() + 1) * batches.size();
            int[] done = {0};
            Runnable afterBatch = () -> observer.afterStep(r, ++done[0], steps);
            Tensor delta = UniversalPerturbation.find(model, batches, settings, round, afterBatch);
            unlearn(model, outer, batches, delta, round, rng, afterBatch);
            observer.afterRound(round, model);
        }
    }

    /** One outer Adam step per batch along the implicit hypergradient (or the plain gradient) at the round's δ. */
    private void unlearn(Module model, Optimizer outer, List<Batch> batches, Tensor perturbation, int round,
                         SplittableRandom rng, Runnable afterBatch) {
        for (int b = 0; b < batches.size(); b++) {
            Batch batch = batches.get(b);
            Batch mapBatch = settings.fixedPointBatch() == IbauSettings.MapBatch.FIRST ? batches.get(0) : batch;
            List<Tensor> theta = new ArrayList<>();
            model.parameterValues().forEach(t -> theta.add(t.detach().withGrad()));
            model.setParameterValues(theta);
            Tensor delta = perturbation.detach().withGrad();

            Tensor x = batch.images();
            Tensor mask = UniversalPerturbation.rowMask(x, settings.perturbedShare(), rng);
            Tensor outerLoss = model.forward(UniversalPerturbation.perturbed(x, delta.mul(mask), settings))
                    .crossEntropy(batch.labels());
            DivergenceException.check(name(), round, b, outerLoss.item());
            if (implicit) {
                Tensor inner = model.forward(UniversalPerturbation.perturbed(mapBatch.images(), delta, settings))
                        .crossEntropy(mapBatch.labels()).neg()
                        .add(delta.square().sum().mul(settings.penalty()));
                outer.step(ImplicitHypergradient.compute(inner, outerLoss, delta, theta, settings.hypergradient())
                        .gradients());
            } else {
                outer.step(Autodiff.grad(outerLoss, theta));
            }
            afterBatch.run();
        }
    }
}
