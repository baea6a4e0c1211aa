package antidote.defense.trigger;

import antidote.backend.cuda.StepMemory;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.defense.DivergenceException;
import antidote.defense.Setting;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.poison.TrainingMemory;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Neural Cleanse's trigger search (Wang et al., S&P 2019, and its reference code) for every class at once: for
 * each class t a mask m and a pattern p, kept in [0,1] through m = tanh(w)/(2−ε) + 0.5, are optimised with Adam
 * so that (1−m)⊙x + m⊙p is classified as t, with loss CE + λ_t‖m‖₁ (+ a {@link SearchPenalty}). All classes
 * still searching share one forward pass (A classes × B images), which is what makes the search affordable.
 * Each class keeps its own optimizer, λ schedule, best mask and early stop, exactly as separate runs would.
 */
public final class MaskSearch {
    /** The epsilon of the reference code's tanh reparameterisation, which keeps m strictly inside (0,1). */
    static final double EPSILON = 1e-7;

    /**
     * @param maxEpochs          most search epochs per class (reference code: 1000 steps)
     * @param samplesPerEpoch    clean images per search epoch (reference code: 1000 per step)
     * @param searchBatchSize    clean images per batch (32)
     * @param searchLr           Adam learning rate of mask and pattern (0.1; β = 0.5, 0.9)
     * @param initCost           the starting λ (1e-3)
     * @param attackSuccess      the attack success rate a mask must reach to count (0.99)
     * @param patience           epochs at (or below) that rate before λ is raised (or lowered) (5)
     * @param costMultiplier     λ is multiplied by this to raise it, and divided by its 1.5th power to lower it (2)
     * @param earlyStopPatience  epochs without a better mask after which a class stops, once λ has gone both up
     *                           and down (25)
     * @param earlyStopThreshold a new best norm counts as progress only below this fraction of the previous best
     */
    public record Settings(@Setting("most search epochs per class") int maxEpochs,
                           @Setting("clean images per search epoch") int samplesPerEpoch,
                           @Setting("clean images per search batch") int searchBatchSize,
                           @Setting("Adam learning rate of the mask and pattern search") double searchLr,
                           @Setting("starting weight of the mask-size term (lambda)") double initCost,
                           @Setting("attack success rate a recovered trigger must reach") double attackSuccess,
                           @Setting("epochs above or below the success rate before lambda is raised or lowered")
                           int patience,
                           @Setting("factor that raises lambda (it is lowered by this to the power 1.5)")
                           double costMultiplier,
                           @Setting("epochs without a smaller mask after which a class's search stops")
                           int earlyStopPatience,
                           @Setting("a smaller mask counts as progress only below this fraction of the best so far")
                           double earlyStopThreshold) {

        public Settings {
            if (maxEpochs < 1 || samplesPerEpoch < 1 || searchBatchSize < 1 || !(searchLr > 0) || !(initCost >= 0)
                    || !(attackSuccess > 0 && attackSuccess <= 1) || patience < 1 || !(costMultiplier > 1)
                    || earlyStopPatience < 1 || !(earlyStopThreshold > 0 && earlyStopThreshold <= 1)) {
                throw new IllegalArgumentException("mask search needs max epochs, samples per epoch, batch size, "
                        + "patience and early-stop patience >= 1, lr > 0, init cost >= 0, attack success in (0,1], "
                        + "cost multiplier > 1 and early-stop threshold in (0,1]; got " + this);
            }
        }

        /** Batches per search epoch. */
        int batchesPerEpoch() {
            return Math.max(1, (samplesPerEpoch + searchBatchSize - 1) / searchBatchSize);
        }
    }

    private MaskSearch() {
    }

    /**
     * Searches a trigger for every class of the model's output.
     *
     * @param afterEpoch told the number of search epochs done so far (the slowest class's), for progress
     * @return the best (smallest successful, else the last) trigger of each class, by class
     */
    public static List<MaskTrigger> run(String defense, Module model, Dataset cleanSet, int numClasses,
                                        Settings settings, SearchPenalty penalty, long seed, IntConsumer afterEpoch) {
        model.eval();
        List<Batch> batches = batches(cleanSet, settings, seed);
        int[] s = batches.get(0).shape();
        Tensor like = batches.get(0).images();
        List<ClassSearch> searches = new ArrayList<>();
        for (int t = 0; t < numClasses; t++) {
            searches.add(new ClassSearch(t, like, s[1], s[2], s[3], settings, seed));
        }
        // Each batch's step and each epoch's bookkeeping in a memory step: only the searches' state outlives it.
        StepMemory memory = new StepMemory(() -> searches.stream().flatMap(c -> c.state().stream()).toList());
        TrainingMemory.resident(batches);
        int cursor = 0;
        for (int epoch = 1; epoch <= settings.maxEpochs(); epoch++) {
            List<ClassSearch> active = searches.stream().filter(c -> !c.done()).toList();
            if (active.isEmpty()) {
                break;
            }
            int current = epoch;
            for (int b = 0; b < settings.batchesPerEpoch(); b++) {
                Batch batch = batches.get(cursor++ % batches.size());
                int index = b;
                memory.run(() -> step(defense, model, batch, active, penalty, current, index));
            }
            memory.run(() -> active.forEach(c -> c.endEpoch(current)));
            afterEpoch.accept(epoch);
        }
        return searches.stream().map(ClassSearch::result).toList();
    }

    /** One Adam step for every active class on one batch. */
    private static void step(String defense, Module model, Batch batch, List<ClassSearch> active,
                             SearchPenalty penalty, int epoch, int b) {
        Tensor x = batch.images();
        int n = x.dim(0);
        int a = active.size();
        List<Tensor> maskLeaves = active.stream().map(ClassSearch::maskLeaf).toList();
        List<Tensor> patternLeaves = active.stream().map(ClassSearch::patternLeaf).toList();
        Tensor masks = squash(Tensor.concat(0, maskLeaves));
        Tensor patterns = squash(Tensor.concat(0, patternLeaves));
        int[] targets = active.stream().mapToInt(ClassSearch::target).toArray();
        Tensor logits = model.forward(stampAll(x, masks, patterns));
        int[] labels = new int[a * n];
        for (int i = 0; i < a; i++) {
            Arrays.fill(labels, i * n, (i + 1) * n, targets[i]);
        }
        Tensor norms = masks.abs().sum(false, 1, 2, 3);
        double[] costs = active.stream().mapToDouble(ClassSearch::cost).toArray();
        // CE is the mean over all A·B rows; times A it is the sum over classes of each class's mean.
        Tensor loss = logits.crossEntropy(labels).mul(a)
                .add(norms.mul(Tensor.fromArray(costs, Shape.of(a), x.device()).to(x.dtype())).sum());
        Tensor extra = penalty.perClass(masks, patterns, x, batch.labels(), targets, model);
        if (extra != null) {
            loss = loss.add(extra.sum());
        }
        DivergenceException.check(defense, epoch, b, loss.item());
        List<Tensor> targetsToDifferentiate = new ArrayList<>(maskLeaves);
        targetsToDifferentiate.addAll(patternLeaves);
        List<Tensor> grads = Autodiff.grad(loss, targetsToDifferentiate);
        int[] predicted;
        double[] normValues;
        try (var off = GradMode.disabled()) {
            predicted = logits.argMax(1);
            normValues = norms.toDoubleArray();
        }
        for (int i = 0; i < a; i++) {
            int hits = 0;
            for (int r = i * n; r < (i + 1) * n; r++) {
                hits += predicted[r] == targets[i] ? 1 : 0;
            }
            active.get(i).update(grads.get(i), grads.get(a + i), (double) hits / n, normValues[i]);
        }
    }

    /** Every image stamped with every class's trigger: [A·B,C,H,W], class-major. */
    static Tensor stampAll(Tensor images, Tensor masks, Tensor patterns) {
        int[] s = images.shape().dims();
        int a = masks.dim(0);
        Tensor x = images.reshape(1, s[0], s[1], s[2], s[3]);
        Tensor m = masks.reshape(a, 1, 1, s[2], s[3]);
        Tensor p = patterns.reshape(a, 1, s[1], s[2], s[3]);
        return x.add(m.mul(p.sub(x))).reshape(a * s[0], s[1], s[2], s[3]);
    }

    /** The map from an unconstrained value to (0,1): tanh(w)/(2+ε) + 0.5 (BackdoorBench's; 2−ε would overshoot). */
    public static Tensor squash(Tensor w) {
        return w.tanh().div(2 + EPSILON).add(0.5);
    }

    /** Its inverse up to ε, for starting values in [0,1]: atanh((v − 0.5)(2 − ε)), finite at 0 and 1. */
    public static double unsquash(double v) {
        double t = (v - 0.5) * (2 - EPSILON);
        return 0.5 * Math.log((1 + t) / (1 - t));
    }

    /** The clean set as full batches in a seeded order, kept in memory and cycled through. */
    private static List<Batch> batches(Dataset cleanSet, Settings settings, long seed) {
        int batchSize = Math.min(settings.searchBatchSize(), cleanSet.size());
        Loader loader = Loader.over(cleanSet).batchSize(batchSize).seed(seed).dropLast(true).prefetch(false).build();
        List<Batch> out = new ArrayList<>();
        try (Epoch epoch = loader.epoch(0)) {
            epoch.forEach(out::add);
        }
        return out;
    }
}
