package antidote.poison;

import antidote.data.Batch;
import antidote.nn.Module;
import antidote.nn.optim.Optimizer;
import antidote.nn.persample.PerSampleGradients;
import antidote.privacy.GradientPrivatizer;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A DP-SGD step: {@link #loss} runs the forward pass with every layer capturing its input and output, and
 * {@link #update} turns the loss into per-sample gradients, privatises them (clip, noise, divide by the expected
 * batch) and steps the optimizer. Per-sample gradients exist for at most {@value #CHUNK} images at a time: each
 * group's clipped sum is added up before the next group's gradients are made (at a whole batch of 128 they took
 * about 1.5 GiB, and a Poisson batch above the mean ran the launcher's 2 GiB heap out). Batch norm runs on fixed
 * statistics here, so a group's forward pass is exactly its part of the batch's. A batch that drew no image
 * (possible under Poisson sampling) still takes a step, of noise alone, so that whether a batch was empty is not
 * revealed.
 */
final class DpTrainingStep implements TrainingStep {
    /** Images whose per-sample gradients are held at once. */
    static final int CHUNK = 32;
    private final GradientPrivatizer privatizer;
    private final RandomGenerator noise;
    /** The forward pass of each group of the pending batch, and each group's summed loss. */
    private final List<PerSampleGradients> pending = new ArrayList<>();
    private final List<Tensor> summedLosses = new ArrayList<>();
    private Tensor pendingLoss;

    DpTrainingStep(GradientPrivatizer privatizer, RandomGenerator noise) {
        this.privatizer = privatizer;
        this.noise = noise;
    }

    /** The batch's mean cross-entropy, from one captured forward pass per group of {@value #CHUNK} images. */
    @Override
    public Tensor loss(Module model, Batch batch) {
        pending.clear();
        summedLosses.clear();
        int size = batch.size();
        if (size == 0) {
            pendingLoss = Tensor.scalar(0);
            return pendingLoss;
        }
        Tensor images = batch.images();
        Tensor total = null;
        for (int from = 0; from < size; from += CHUNK) {
            int to = Math.min(size, from + CHUNK);
            PerSampleGradients group = PerSampleGradients.forward(model, images.slice(0, from, to));
            Tensor summed = group.logits().crossEntropy(Arrays.copyOfRange(batch.labels(), from, to))
                    .mul(to - from);
            pending.add(group);
            summedLosses.add(summed);
            total = total == null ? summed : total.add(summed);
        }
        pendingLoss = total.div(size);
        return pendingLoss;
    }

    @Override
    public void update(Tensor loss, Module model, Optimizer optimizer) {
        if (loss != pendingLoss) {
            throw new IllegalStateException("DpTrainingStep.update needs the loss its own loss() just returned");
        }
        List<Tensor> sums = null;
        for (int g = 0; g < pending.size(); g++) {
            List<Tensor> group = privatizer.clippedSum(pending.get(g).gradients(summedLosses.get(g)));
            sums = sums == null ? group : add(sums, group);
        }
        List<Tensor> gradients = sums == null ? privatizer.noiseOnly(model.parameterValues(), noise)
                : privatizer.noised(sums, noise);
        pending.clear();
        summedLosses.clear();
        pendingLoss = null;
        optimizer.step(gradients);
    }

    private static List<Tensor> add(List<Tensor> a, List<Tensor> b) {
        List<Tensor> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i).add(b.get(i)));
        }
        return out;
    }
}
