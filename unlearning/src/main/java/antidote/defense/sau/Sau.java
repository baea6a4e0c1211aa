package antidote.defense.sau;

import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.defense.Defense;
import antidote.defense.DivergenceException;
import antidote.defense.FrozenCopy;
import antidote.defense.RoundObserver;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.tensor.Tensor;

/**
 * Shared adversarial unlearning (Wei et al., NeurIPS 2023), as in BackdoorBench: each batch, find
 * perturbations that fool the model being purified (h) and the frozen poisoned model (h_ref) the same way,
 * then train h on λ₁·CE(h(x)) + λ₂·CE(h(x+ε)) + λ₄·L_sar so that it stops sharing those mistakes.
 */
public final class Sau implements Defense {

    /**
     * @param epochs      passes over the clean set (BackdoorBench: 100)
     * @param batchSize   images per batch (256)
     * @param lr          Adam (AMSGrad) learning rate (1e-4)
     * @param cleanWeight λ₁, weight of the clean cross-entropy (1)
     * @param advWeight   λ₂, weight of the cross-entropy on the shared adversarial images (0)
     * @param sarWeight   λ₄, weight of the shared adversarial risk (1)
     * @param pgd         the shared PGD settings
     * @param seed        shuffling seed
     */
    public record Settings(int epochs, int batchSize, double lr, double cleanWeight, double advWeight,
                           double sarWeight, SharedPgd.Settings pgd, long seed) {
        public static final Settings BACKDOORBENCH = new Settings(100, 256, 1e-4, 1, 0, 1, SharedPgd.Settings.DEFAULT,
                0);

        public Settings {
            if (epochs < 1 || batchSize < 1 || lr <= 0) {
                throw new IllegalArgumentException("SAU needs epochs >= 1, batch size >= 1 and lr > 0; got "
                        + epochs + ", " + batchSize + ", " + lr);
            }
        }

        public Settings withEpochs(int e) {
            return new Settings(e, batchSize, lr, cleanWeight, advWeight, sarWeight, pgd, seed);
        }

        public Settings withLr(double rate) {
            return new Settings(epochs, batchSize, rate, cleanWeight, advWeight, sarWeight, pgd, seed);
        }

        public Settings withSeed(long s) {
            return new Settings(epochs, batchSize, lr, cleanWeight, advWeight, sarWeight, pgd, s);
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
        Loader loader = Loader.over(cleanSet).batchSize(settings.batchSize()).seed(settings.seed()).build();
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            int b = 0;
            try (Epoch batches = loader.epoch(epoch)) {
                for (Batch batch : batches) {
                    step(model, reference, optimizer, batch, epoch, b++);
                    observer.afterStep(epoch, b, loader.numBatches());
                }
            }
            model.eval();
            observer.afterRound(epoch, model);
        }
    }

    private void step(Module model, FrozenCopy reference, Optimizer optimizer, Batch batch, int epoch, int b) {
        Tensor x = batch.images();
        int[] labels = batch.labels();
        model.eval();
        Tensor adversarial = SharedPgd.attack(model::forward, reference::forward, x, labels, settings.pgd());
        int[] refClean;
        int[] refAdversarial;
        try (var off = GradMode.disabled()) {
            refClean = reference.forward(x).argMax(1);
            refAdversarial = reference.forward(adversarial).argMax(1);
        }
        model.train();
        Tensor loss = model.forward(x).crossEntropy(labels).mul(settings.cleanWeight());
        Tensor adversarialLogits = model.forward(adversarial);
        if (settings.advWeight() != 0) {
            loss = loss.add(adversarialLogits.crossEntropy(labels).mul(settings.advWeight()));
        }
        loss = loss.add(SauLosses.sharedAdversarialRisk(adversarialLogits, refAdversarial, refClean, labels)
                .mul(settings.sarWeight()));
        DivergenceException.check(name(), epoch, b, loss.item());
        optimizer.step(Autodiff.grad(loss, model.parameterValues()));
    }
}
