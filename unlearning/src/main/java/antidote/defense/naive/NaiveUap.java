package antidote.defense.naive;

import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.defense.Defense;
import antidote.defense.DivergenceException;
import antidote.defense.RoundObserver;
import antidote.defense.ibau.IbauSettings;
import antidote.defense.ibau.UniversalPerturbation;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The naive adversarial-unlearning baseline of the I-BAU paper's Figure 1: alternate a universal
 * perturbation (the same inner ascent as I-BAU) with plain training on the perturbed images, ignoring how
 * δ depends on θ. The paper shows it is unstable across seeds; I-BAU's hypergradient fixes that.
 */
public final class NaiveUap implements Defense {
    private final IbauSettings settings;

    /** Uses I-BAU's knobs for the inner ascent, batch size, outer learning rate, rounds and seed. */
    public NaiveUap(IbauSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "naive-uap";
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
        for (int round = 1; round <= settings.rounds(); round++) {
            List<Batch> batches = UniversalPerturbation.roundBatches(cleanSet, settings, round);
            Tensor delta = UniversalPerturbation.find(model, batches, settings, round);
            for (int b = 0; b < batches.size(); b++) {
                Tensor x = batches.get(b).images();
                Tensor mask = UniversalPerturbation.rowMask(x, settings.outerFraction(), rng);
                Tensor loss = model.forward(x.add(delta.mul(mask))).crossEntropy(batches.get(b).labels());
                DivergenceException.check(name(), round, b, loss.item());
                outer.step(Autodiff.grad(loss, model.parameterValues()));
            }
            observer.afterRound(round, model);
        }
    }
}
