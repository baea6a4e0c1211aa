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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * DeepInspect (Chen et al., IJCAI 2019), with the clean set as seed data instead of model inversion (as the I-BAU
 * paper ran it): a conditional generator G(z, t) of additive perturbations is trained against the frozen model so
 * that clamp(x + G(z, t)) is classified as t, with loss CE + γ·‖G(z, t)‖₁, all classes in one batch. A class whose
 * perturbations are abnormally small (MAD anomaly index > 2 below the median of the per-class mean L1 norms) is
 * flagged, and the model is fine-tuned on clean images patched with G's triggers for the flagged classes,
 * labelled with their true class. The original's GAN term (a discriminator keeping x + Δ close to the data) is not
 * used, as in TrojanZoo's default (its weight is 0 there).
 */
public final class DeepInspect implements Defense {
    /** Noise draws per class for the perturbation-size statistic. */
    private static final int STATISTIC_DRAWS = 64;
    /** Clean images on which each class's attack success is measured, for the report. */
    private static final int SUCCESS_IMAGES = 512;

    /**
     * @param generatorSteps     generator updates (each over every class at once)
     * @param generatorBatchSize clean images per class per update
     * @param generatorLr        Adam learning rate of the generator
     * @param noiseDim           size of the noise z (100, as TrojanZoo)
     * @param hiddenSize         width of the generator's hidden layer
     * @param magnitudeWeight    γ, weight of the perturbation's L1 norm (0.02, as TrojanZoo)
     * @param threshold          anomaly index above which a class is flagged (2)
     * @param unlearning         the fine-tune that unlearns the flagged triggers
     * @param seed               seed of the generator, its noise and the batch order
     */
    public record Settings(@Setting("generator updates, each over every class at once") int generatorSteps,
                           @Setting("clean images per class per generator update") int generatorBatchSize,
                           @Setting("Adam learning rate of the trigger generator") double generatorLr,
                           @Setting("size of the generator's noise input") int noiseDim,
                           @Setting("width of the generator's hidden layer") int hiddenSize,
                           @Setting("weight of the perturbation's L1 norm in the generator's loss (gamma)")
                           double magnitudeWeight,
                           @Setting("anomaly index above which a class is flagged") double threshold,
                           TriggerUnlearning.Settings unlearning,
                           @Setting("seed of the generator, its noise and the batch order") long seed) {
        public static final Settings DEFAULT = new Settings(300, 32, 1e-3, 100, 256, 0.02, 2,
                TriggerUnlearning.Settings.DEFAULT, 0);

        public Settings {
            if (generatorSteps < 1 || generatorBatchSize < 1 || !(generatorLr > 0) || noiseDim < 1 || hiddenSize < 1
                    || !(magnitudeWeight >= 0) || !(threshold > 0)) {
                throw new IllegalArgumentException("DeepInspect needs generator steps, batch size, noise size and "
                        + "hidden size >= 1, lr > 0, magnitude weight >= 0 and threshold > 0; got " + this);
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
        train(model, batches, classes, rng, observer, steps);
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

    /** Trains the generator: every step, each class's perturbations on its own copy of a clean batch. */
    private void train(Module model, List<Batch> batches, int classes, SplittableRandom rng, RoundObserver observer,
                       int steps) {
        Adam adam = new Adam(generator.parameters(), settings.generatorLr());
        // Each step in its own memory step: only the generator's weights and Adam's moments outlive it.
        StepMemory memory = TrainingMemory.of(generator, adam);
        TrainingMemory.resident(batches);
        for (int step = 1; step <= settings.generatorSteps(); step++) {
            Batch batch = batches.get((step - 1) % batches.size());
            int index = step;
            memory.run(() -> generatorStep(model, batch, classes, rng, adam, index));
            observer.afterStep(1, step, steps);
        }
    }

    /** One Adam step of the generator: each class's perturbations on its own copy of the batch. */
    private void generatorStep(Module model, Batch batch, int classes, SplittableRandom rng, Adam adam, int step) {
        Tensor x = batch.images();
        int n = x.dim(0);
        int[] targets = new int[classes * n];
        for (int t = 0; t < classes; t++) {
            Arrays.fill(targets, t * n, (t + 1) * n, t);
        }
        Tensor delta = generator.generate(targets, rng, x);
        Tensor repeated = Tensor.concat(0, Collections.nCopies(classes, x));
        Tensor logits = model.forward(repeated.add(delta).clamp(0, 1));
        // CE is the mean over all C·B rows, and so is the magnitude term: each class gets its mean.
        Tensor loss = logits.crossEntropy(targets)
                .add(delta.abs().sum().div(classes * n).mul(settings.magnitudeWeight()));
        DivergenceException.check(name(), 1, step, loss.item());
        adam.step(Autodiff.grad(loss, generator.parameterValues()));
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
