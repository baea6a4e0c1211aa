package antidote.defense.trigger;

import antidote.grad.GradMode;
import antidote.nn.Parameter;
import antidote.nn.optim.Adam;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One class's state in a {@link MaskSearch}: its mask and pattern (in tanh space) with their own Adam, its λ and
 * the reference code's counters that raise or lower it, its best mask so far and its early stop.
 */
final class ClassSearch {
    /** The reference code's Adam betas for the search. */
    private static final double BETA1 = 0.5;
    private static final double BETA2 = 0.9;

    private final int target;
    private final MaskSearch.Settings settings;
    private final Parameter mask;
    private final Parameter pattern;
    private final Adam adam;
    private double cost;
    private int costSetCounter;
    private int costUpCounter;
    private int costDownCounter;
    private boolean costUpFlag;
    private boolean costDownFlag;
    private double regBest = Double.POSITIVE_INFINITY;
    private double earlyStopRegBest = Double.POSITIVE_INFINITY;
    private int earlyStopCounter;
    private Tensor bestMask;
    private Tensor bestPattern;
    private boolean done;
    private int epochs;
    private double accSum;
    private double regSum;
    private int batches;

    /** Starts from a uniformly random mask and pattern, seeded per class, as the reference code does. */
    ClassSearch(int target, Tensor like, int channels, int height, int width, MaskSearch.Settings settings,
                long seed) {
        this.target = target;
        this.settings = settings;
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + target);
        this.mask = new Parameter(uniformTanh(like, Shape.of(1, 1, height, width), rng));
        this.pattern = new Parameter(uniformTanh(like, Shape.of(1, channels, height, width), rng));
        this.adam = new Adam(List.of(mask, pattern), settings.searchLr(), BETA1, BETA2, Adam.DEFAULT_EPS, 0, false);
        this.cost = settings.initCost();
    }

    private static Tensor uniformTanh(Tensor like, Shape shape, SplittableRandom rng) {
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = MaskSearch.unsquash(rng.nextDouble());
        }
        return Tensor.fromArray(v, shape, like.device()).to(like.dtype());
    }

    int target() {
        return target;
    }

    double cost() {
        return cost;
    }

    boolean done() {
        return done;
    }

    Tensor maskLeaf() {
        return mask.get();
    }

    Tensor patternLeaf() {
        return pattern.get();
    }

    /** The tensors that must outlive a memory step: mask, pattern, Adam's moments and the best trigger so far. */
    List<Tensor> state() {
        List<Tensor> out = new ArrayList<>(List.of(mask.get(), pattern.get()));
        out.addAll(adam.state());
        if (bestMask != null) {
            out.add(bestMask);
            out.add(bestPattern);
        }
        return out;
    }

    /** One Adam step with this batch's gradients, recording the batch's attack success and mask norm. */
    void update(Tensor maskGrad, Tensor patternGrad, double attackSuccess, double norm) {
        adam.step(List.of(maskGrad, patternGrad));
        accSum += attackSuccess;
        regSum += norm;
        batches++;
    }

    /**
     * The reference code's bookkeeping after an epoch: keep the mask if it succeeds with a smaller norm than any
     * before, count towards the early stop, and raise λ after {@code patience} successful epochs or lower it
     * after {@code patience} failing ones.
     */
    void endEpoch(int epoch) {
        epochs = epoch;
        double avgAcc = accSum / batches;
        double avgReg = regSum / batches;
        accSum = 0;
        regSum = 0;
        batches = 0;
        boolean success = avgAcc >= settings.attackSuccess();
        if (success && avgReg < regBest) {
            keepCurrent();
            regBest = avgReg;
        }
        if (regBest < Double.POSITIVE_INFINITY) {
            earlyStopCounter = regBest >= settings.earlyStopThreshold() * earlyStopRegBest ? earlyStopCounter + 1 : 0;
        }
        earlyStopRegBest = Math.min(earlyStopRegBest, regBest);
        if (costDownFlag && costUpFlag && earlyStopCounter >= settings.earlyStopPatience()) {
            done = true;
            return;
        }
        adjustCost(success);
    }

    private void adjustCost(boolean success) {
        if (cost == 0 && success) {
            if (++costSetCounter >= settings.patience()) {
                cost = settings.initCost();
                costUpCounter = 0;
                costDownCounter = 0;
                costUpFlag = false;
                costDownFlag = false;
            }
        } else {
            costSetCounter = 0;
        }
        costUpCounter = success ? costUpCounter + 1 : 0;
        costDownCounter = success ? 0 : costDownCounter + 1;
        if (costUpCounter >= settings.patience()) {
            costUpCounter = 0;
            cost *= settings.costMultiplier();
            costUpFlag = true;
        } else if (costDownCounter >= settings.patience()) {
            costDownCounter = 0;
            cost /= Math.pow(settings.costMultiplier(), 1.5);
            costDownFlag = true;
        }
    }

    private void keepCurrent() {
        try (var off = GradMode.disabled()) {
            bestMask = MaskSearch.squash(mask.get()).detach();
            bestPattern = MaskSearch.squash(pattern.get()).detach();
        }
    }

    /** The best trigger, or the current one when no mask reached the attack success rate. */
    MaskTrigger result() {
        boolean succeeded = bestMask != null;
        if (!succeeded) {
            keepCurrent();
        }
        double norm;
        try (var off = GradMode.disabled()) {
            norm = bestMask.abs().sum().item();
        }
        return new MaskTrigger(target, bestMask, bestPattern, norm, epochs, succeeded);
    }
}
