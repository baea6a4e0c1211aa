package antidote.defense.ft;

import antidote.data.Dataset;
import antidote.data.Loader;
import antidote.defense.Defense;
import antidote.defense.DefenseLoop;
import antidote.defense.RoundObserver;
import antidote.defense.Setting;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.tensor.Tensor;

/**
 * The plain fine-tuning baseline: a few epochs of cross-entropy training on the clean set alone, in
 * training mode. It removes little of a backdoor, which is why the papers compare against it.
 */
public final class FineTuning implements Defense {

    /**
     * @param epochs    passes over the clean set (5)
     * @param batchSize images per batch (128)
     * @param lr        Adam learning rate (1e-3, the SmallVgg training rate)
     * @param seed      shuffling seed
     */
    public record Settings(@Setting("passes over the clean set") int epochs,
                           @Setting("clean images per batch") int batchSize,
                           @Setting("Adam learning rate") double lr,
                           @Setting("seed of the batch order") long seed) {
        public static final Settings DEFAULT = new Settings(5, 128, 1e-3, 0);

        public Settings {
            if (epochs < 1 || batchSize < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("fine-tuning needs epochs >= 1, batch size >= 1 and lr > 0; got "
                        + epochs + ", " + batchSize + ", " + lr);
            }
        }
    }

    private final Settings settings;

    public FineTuning(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "ft";
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public void purify(Module model, Dataset cleanSet, RoundObserver observer) {
        Optimizer optimizer = new Adam(model.parameters(), settings.lr());
        Loader loader = Loader.over(cleanSet).batchSize(settings.batchSize()).seed(settings.seed()).build();
        DefenseLoop.epochs(name(), model, optimizer, settings.epochs(), loader, (batch, epoch, index) -> {
            model.train();
            Tensor loss = model.forward(batch.images()).crossEntropy(batch.labels());
            double value = loss.item();
            if (Double.isFinite(value)) {
                optimizer.step(Autodiff.grad(loss, model.parameterValues()));
            }
            return value;
        }, observer);
    }
}
