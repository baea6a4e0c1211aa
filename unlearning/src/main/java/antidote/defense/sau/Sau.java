package antidote.defense.sau;

import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Loader;
import antidote.defense.Defense;
import antidote.defense.DefenseLoop;
import antidote.defense.FrozenCopy;
import antidote.defense.RoundObserver;
import antidote.defense.Setting;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Shared adversarial unlearning (Wei et al., NeurIPS 2023), as in BackdoorBench: each batch, find
 * perturbations that fool the model being purified (h) and the frozen poisoned model (h_ref) the same way,
 * then train h on λ₁·CE(h(x)) + λ₂·CE(h(x+ε)) + λ₄·L_sar so that it stops sharing those mistakes. Both models
 * stay in evaluation mode (frozen batch-norm statistics) unless {@link Settings#trainMode()} is set, as in BackdoorBench.
 */
public final class Sau implements Defense {

    /**
     * @param epochs      passes over the clean set (BackdoorBench: 100)
     * @param batchSize   images per batch (256)
     * @param lr          Adam (AMSGrad) learning rate (1e-4)
     * @param cleanWeight λ₁, weight of the clean cross-entropy (1)
     * @param advWeight   λ₂, weight of the cross-entropy on the shared adversarial images (0)
     * @param sarWeight   λ₄, weight of the shared adversarial risk (1)
     * @param trainMode   run the unlearning forward pass in training mode, so batch norm uses and updates batch
     *                    statistics (BackdoorBench's {@code --train_mode}; off: frozen statistics, its default)
     * @param pgd         the shared PGD settings
     * @param seed        shuffling seed, and the PGD's random start
     */
    public record Settings(@Setting("passes over the clean set") int epochs,
                           @Setting("clean images per batch") int batchSize,
                           @Setting("Adam (AMSGrad) learning rate of the model update") double lr,
                           @Setting("weight of the clean cross-entropy (lambda1)") double cleanWeight,
                           @Setting("weight of the cross-entropy on the shared adversarial images (lambda2)")
                           double advWeight,
                           @Setting("weight of the shared adversarial risk (lambda4)") double sarWeight,
                           @Setting("unlearn in training mode (batch norm uses batch statistics), as BackdoorBench's "
                                   + "--train_mode; off keeps the statistics frozen") boolean trainMode,
                           SharedPgd.Settings pgd,
                           @Setting("seed of the batch order and the PGD's random start") long seed) {
        public static final Settings BACKDOORBENCH = new Settings(100, 256, 1e-4, 1, 0, 1, false,
                SharedPgd.Settings.DEFAULT, 0);

        public Settings {
            if (epochs < 1 || batchSize < 1 || !(lr > 0) || cleanWeight < 0 || advWeight < 0 || sarWeight < 0) {
                throw new IllegalArgumentException("SAU needs epochs >= 1, batch size >= 1, lr > 0 and non-negative "
                        + "loss weights; got " + epochs + ", " + batchSize + ", " + lr + ", " + cleanWeight + ", "
                        + advWeight + ", " + sarWeight);
            }
        }
    }

    private final Settings settings;

    public Sau(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "sau";
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public void purify(Module model, Dataset cleanSet, RoundObserver observer) {
        FrozenCopy reference = new FrozenCopy(model);
        Optimizer optimizer = new Adam(model.parameters(), settings.lr(), Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2,
                Adam.DEFAULT_EPS, 0, true);
        SplittableRandom rng = new SplittableRandom(settings.seed());
        Loader loader = Loader.over(cleanSet).batchSize(settings.batchSize()).seed(settings.seed()).build();
        DefenseLoop.epochs(name(), model, optimizer, settings.epochs(), loader,
                (batch, epoch, index) -> step(model, reference, optimizer, batch, rng), observer);
    }

    /** One batch: shared PGD in evaluation mode, then one update on the clean and shared adversarial images together. */
    private double step(Module model, FrozenCopy reference, Optimizer optimizer, Batch batch, SplittableRandom rng) {
        Tensor x = batch.images();
        int[] labels = batch.labels();
        int n = labels.length;
        model.eval();
        Tensor adversarial = SharedPgd.attack(model::forward, reference::forward, x, labels, settings.pgd(), rng);
        int[] refClean;
        int[] refAdversarial;
        try (var off = GradMode.disabled()) {
            refClean = reference.forward(x).argMax(1);
            refAdversarial = reference.forward(adversarial).argMax(1);
        }
        // One forward over both halves, as BackdoorBench does: in training mode they share the batch statistics.
        model.train(settings.trainMode());
        Tensor both = model.forward(Tensor.concat(0, List.of(x, adversarial)));
        model.eval();
        Tensor adversarialLogits = both.slice(0, n, 2 * n);
        Tensor loss = both.slice(0, 0, n).crossEntropy(labels).mul(settings.cleanWeight());
        if (settings.advWeight() != 0) {
            loss = loss.add(adversarialLogits.crossEntropy(labels).mul(settings.advWeight()));
        }
        loss = loss.add(SauLosses.sharedAdversarialRisk(adversarialLogits, refAdversarial, refClean, labels)
                .mul(settings.sarWeight()));
        double value = loss.item();
        if (Double.isFinite(value)) {
            optimizer.step(Autodiff.grad(loss, model.parameterValues()));
        }
        return value;
    }
}
