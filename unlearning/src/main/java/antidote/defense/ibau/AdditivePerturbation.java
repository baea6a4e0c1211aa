package antidote.defense.ibau;

import antidote.data.Batch;
import antidote.nn.Module;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.function.DoubleConsumer;

/** The additive family: z is δ [1,C,H,W] and the trigger is x + δ ({@link UniversalPerturbation}). */
final class AdditivePerturbation implements TriggerFamily {
    private final IbauSettings settings;

    AdditivePerturbation(IbauSettings settings) {
        this.settings = settings;
    }

    @Override
    public Tensor find(Module model, List<Batch> batches, DoubleConsumer afterStep) {
        return UniversalPerturbation.find(model, batches, settings, afterStep);
    }

    @Override
    public Tensor apply(Tensor x, Tensor z) {
        return UniversalPerturbation.perturbed(x, z, settings);
    }

    @Override
    public Tensor applyTo(Tensor x, Tensor z, Tensor rows) {
        return UniversalPerturbation.perturbed(x, z.mul(rows), settings);
    }

    @Override
    public Tensor penalty(Tensor z, Tensor x) {
        return z.square().sum().mul(settings.penalty());
    }
}
