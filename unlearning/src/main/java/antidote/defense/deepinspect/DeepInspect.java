package antidote.defense.deepinspect;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.defense.Defense;
import antidote.defense.DivergenceException;
import antidote.defense.RoundObserver;
import antidote.defense.Setting;
import antidote.defense.trigger.Detection;
import antidote.defense.trigger.TriggerImages;
import antidote.defense.trigger.TriggerUnlearning;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.poison.TrainingMemory;
import antidote.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * DeepInspect (Chen et al., IJCAI 2019), with the clean set as seed data instead of model inversion (as the I-BAU
 * paper ran it): a conditional generator G(z, t) of additive perturbations is trained against the frozen model so
 * that clamp(x + G(z, t)) is classified as t, all classes in one batch, with the loss of {@link GeneratorLoss}:
 * the target-class cross-entropy, γ₂ times a soft hinge on each perturbation's L1 norm, and γ₁ times the GAN term
 * of a discriminator ({@link TriggerDiscriminator}) that keeps the triggered images close to the clean ones. When
 * γ₁ > 0 the discriminator is trained alternately with the generator, one Adam step each per generator update
 * (discriminator first, on the clean batch against the detached triggered images). A class whose perturbations are
 * abnormally small (MAD anomaly index > 2 below the median of the per-class mean L1 norms) is flagged, and the
 * model is fine-tuned on clean images patched with G's triggers for the flagged classes, labelled with their true
 * class.
 * <p>
 * Sources: the three terms (target class, GAN, perturbation) and their weights γ₁ (GAN) and γ₂ (perturbation) are
 * the paper's, named as TrojanZoo's {@code deep_inspect.py} names them ({@code gamma_1}, {@code gamma_2}); the soft
 * hinge max(0, ‖Δ‖₁ − bound) is AdvGAN's form (Xiao et al., IJCAI 2018), whose perturbation GAN DeepInspect's
 * generator follows, on the L1 norm; the discriminator's loss and the generator's non-saturating GAN term are
 * Goodfellow et al.'s (2014). The defaults γ₁ = 0 (no discriminator), γ₂ = 0.02 on the plain L1 norm (bound 0) and
 * the noise size 100 are TrojanZoo's, not values read in the paper. γ₁ = 0 keeps the generator's updates bit for
 * bit what they are without a discriminator.
 */
public final class DeepInspect implements Defense {
    /** Noise draws per class for the perturbation-size statistic. */
    private static final int STATISTIC_DRAWS = 64;
    /** Clean images on which each class's attack success is measured, for the report. */
    private static final int SUCCESS_IMAGES = 512;

    /**
     * @param generatorSteps     generator updates (each over every class at once)
     * @param generatorBatchSize clean images per class per update
     * @param generatorLr        Adam learning rate of the generator and of the discriminator
     * @param noiseDim           size of the noise z (100, as TrojanZoo)
     * @param hiddenSize         width of the generator's and the discriminator's hidden layers
     * @param magnitudeWeight    γ₂, weight of the perturbation's magnitude term (0.02, as TrojanZoo)
     * @param magnitudeBound     the soft hinge's bound on each perturbation's L1 norm (0, the plain L1 norm, as
     *                           TrojanZoo)
     * @param ganWeight          γ₁, weight of the discriminator's term (0, as TrojanZoo: no discriminator)
     * @param threshold          anomaly index above which a class is flagged (2)
     * @param unlearning         the fine-tune that unlearns the flagged triggers
     * @param seed               seed of the generator, its noise and the batch order
     */
    public record Settings(@Setting("generator updates, each over every class at once") int generatorSteps,
                           @Setting("clean images per class per generator update") int generatorBatchSize,
                           @Setting("Adam learning rate of the trigger generator and its discriminator")
                           double generatorLr,
                           @Setting("size of the generator's noise input") int noiseDim,
                           @Setting("width of the generator's and the discriminator's hidden layers") int hiddenSize,
                           @Setting("weight of the perturbation's magnitude term in the generator's loss (gamma2)")
                           double magnitudeWeight,
                           @Setting("bound of the soft hinge on each perturbation's L1 norm (0: the whole norm)")
                           double magnitudeBound,
                           @Setting("weight of the discriminator's realism term in the generator's loss (gamma1; "
                                   + "0: no discriminator)")
                           double ganWeight,
                           @Setting("anomaly index above which a class is flagged") double threshold,
                           TriggerUnlearning.Settings unlearning,
                           @Setting("seed of the generator, its noise and the batch order") long seed) {
        public static final Settings DEFAULT = new Settings(300, 32, 1e-3, 100, 256, 0.02, 0, 0, 2,
                TriggerUnlearning.Settings.DEFAULT, 0);

        public Settings {
            if (generatorSteps < 1 || generatorBatchSize < 1 || !(generatorLr > 0) || noiseDim < 1 || hiddenSize < 1
                    || !(magnitudeWeight >= 0) || !(magnitudeBound >= 0) || !(ganWeight >= 0) || !(threshold > 0)) {
                throw new IllegalArgumentException("DeepInspect needs generator steps, batch size, noise size and "
                        + "hidden size >= 1, lr > 0, magnitude weight, magnitude bound and GAN weight >= 0 and "
                        + "threshold > 0; got " + this);
            }
        }
    }

    private final Settings settings;
    private TriggerGenerator generator;
    private Detection detection;
    private double[] attackSuccess;

    public DeepInspect(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "deepinspect";
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public void purify(Module model, Dataset cleanSet, RoundObserver observer) {
        model.eval();
        SplittableRandom rng = new SplittableRandom(settings.seed());
        int classes = cleanSet.numClasses();
        int[] shape = {cleanSet.channels(), cleanSet.height(), cleanSet.width()};
        generator = new TriggerGenerator(settings.noiseDim(), classes, settings.hiddenSize(), shape, rng);
        List<Batch> batches = batches(cleanSet);
        int steps = settings.generatorSteps() + TriggerUnlearning.batchesPerEpoch(cleanSet, settings.unlearning());
        train(model, batches, classes, shape, rng, observer, steps);
        Tensor like = batches.get(0).images();
        double[] sizes = new double[classes];
        try (var off = GradMode.disabled()) {
            for (int t = 0; t < classes; t++) {
                sizes[t] = meanL1(t, rng, like);
            }
        }
        attackSuccess = attackSuccess(model, cleanSet, classes, rng);
        detection = Detection.of("mean L1 norm of the generated perturbation", sizes, settings.threshold());
        List<GeneratedTrigger> flagged = detection.flagged().stream()
                .map(t -> new GeneratedTrigger(t, generator, rng.split())).toList();
        TriggerUnlearning.run(name(), model, cleanSet, flagged, settings.unlearning(), settings.seed(), observer,
                settings.generatorSteps(), steps);
    }

    /**
     * Trains the generator (and, when γ₁ > 0, its discriminator): every step, each class's perturbations on its own
     * copy of a clean batch.
     */
    private void train(Module model, List<Batch> batches, int classes, int[] shape, SplittableRandom rng,
                       RoundObserver observer, int steps) {
        GeneratorLoss loss = new GeneratorLoss(settings.magnitudeWeight(), settings.magnitudeBound(),
                settings.ganWeight());
        Adam adam = new Adam(generator.parameters(), settings.generatorLr());
        // Without the GAN term there is no discriminator, so the generator's updates are exactly those of the loss
        // without it; with it, D draws its weights from its own stream, leaving the generator's noise as it was.
        TriggerDiscriminator discriminator = settings.ganWeight() == 0 ? null
                : new TriggerDiscriminator(shape, settings.hiddenSize(), new SplittableRandom(settings.seed() + 1));
        Adam discriminatorAdam = discriminator == null ? null
                : new Adam(discriminator.parameters(), settings.generatorLr());
        // Each step in its own memory step: only the networks' weights and their Adam moments outlive it.
        StepMemory memory = discriminator == null ? TrainingMemory.of(generator, adam)
                : TrainingMemory.of(List.of(generator, discriminator), adam, discriminatorAdam);
        TrainingMemory.resident(batches);
        for (int step = 1; step <= settings.generatorSteps(); step++) {
            Batch batch = batches.get((step - 1) % batches.size());
            int index = step;
            memory.run(() -> {
                Tensor x = batch.images();
                int[] targets = targets(classes, x.dim(0));
                Tensor delta = generator.generate(targets, rng, x);
                Tensor triggered = GeneratorLoss.triggered(x, delta);
                if (discriminator != null) {
                    discriminatorStep(discriminator, discriminatorAdam, x, triggered.detach(), index);
                }
                Tensor value = loss.valueOn(model, discriminator, triggered, delta, targets);
                DivergenceException.check(name(), 1, index, value.item());
                adam.step(Autodiff.grad(value, generator.parameterValues()));
            });
            observer.afterStep(1, step, steps);
        }
    }

    /** Each class t for its own block of {@code n} rows: C·n targets. */
    private static int[] targets(int classes, int n) {
        int[] targets = new int[classes * n];
        for (int t = 0; t < classes; t++) {
            Arrays.fill(targets, t * n, (t + 1) * n, t);
        }
        return targets;
    }

    /** One Adam step of D: the clean batch against this step's (detached) triggered images. */
    private void discriminatorStep(TriggerDiscriminator discriminator, Adam discriminatorAdam, Tensor x,
                                   Tensor triggered, int step) {
        Tensor value = TriggerDiscriminator.loss(discriminator.forward(x), discriminator.forward(triggered));
        DivergenceException.check(name(), 1, step, value.item());
        discriminatorAdam.step(Autodiff.grad(value, discriminator.parameterValues()));
    }

    /** The mean over noise draws of ‖G(z, t)‖₁. */
    private double meanL1(int target, SplittableRandom rng, Tensor like) {
        int[] targets = new int[STATISTIC_DRAWS];
        Arrays.fill(targets, target);
        return generator.generate(targets, rng, like).abs().sum().item() / STATISTIC_DRAWS;
    }

    /** Each class's attack success: the share of the first clean images sent to it by its generated trigger. */
    private double[] attackSuccess(Module model, Dataset cleanSet, int classes, SplittableRandom rng) {
        Dataset probe = cleanSet.slice(0, Math.min(SUCCESS_IMAGES, cleanSet.size()));
        double[] out = new double[classes];
        Loader loader = Loader.over(probe).batchSize(128).shuffle(false).prefetch(false).build();
        // Nothing a batch allocates on the device outlives it (the model and the generator are fixed here).
        StepMemory memory = TrainingMemory.of(List.of(model, generator));
        try (var off = GradMode.disabled(); Epoch epoch = loader.epoch(0)) {
            for (Batch b : epoch) {
                Tensor x = b.images(); // outside the steps: every class's step reads it
                for (int t = 0; t < classes; t++) {
                    GeneratedTrigger trigger = new GeneratedTrigger(t, generator, rng);
                    int[] predicted = memory.call(() -> model.forward(trigger.stamp(x)).argMax(1));
                    for (int p : predicted) {
                        out[t] += p == t ? 1.0 / probe.size() : 0;
                    }
                }
            }
        }
        return out;
    }

    private List<Batch> batches(Dataset cleanSet) {
        int batchSize = Math.min(settings.generatorBatchSize(), cleanSet.size());
        Loader loader = Loader.over(cleanSet).batchSize(batchSize).seed(settings.seed()).dropLast(true)
                .prefetch(false).build();
        List<Batch> out = new ArrayList<>();
        try (Epoch epoch = loader.epoch(0)) {
            epoch.forEach(out::add);
        }
        return out;
    }

    /** The outlier test on the perturbation sizes; null before {@link #purify}. */
    public Detection detection() {
        return detection;
    }

    @Override
    public Map<String, Object> findings() {
        if (detection == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>(detection.findings());
        out.put("attackSuccess", Arrays.stream(attackSuccess).boxed().toList());
        return out;
    }

    /** Each class's mean absolute perturbation over 16 noise draws as {@code class-<t>-perturbation.png}. */
    @Override
    public void writeArtifacts(Path outDir) throws IOException {
        if (generator == null) {
            return;
        }
        SplittableRandom rng = new SplittableRandom(settings.seed());
        Tensor like = Tensor.zeros(1);
        try (var off = GradMode.disabled()) {
            for (int t = 0; t < detection.values().length; t++) {
                int[] targets = new int[16];
                Arrays.fill(targets, t);
                Tensor mean = generator.generate(targets, rng, like).abs().mean(true, 0);
                TriggerImages.writePng(mean, outDir.resolve("class-" + t + "-perturbation.png"), 8);
            }
        }
    }
}
