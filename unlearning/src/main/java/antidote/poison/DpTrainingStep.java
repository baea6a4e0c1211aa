package antidote.poison;

import antidote.data.Batch;
import antidote.nn.Module;
import antidote.nn.optim.Optimizer;
import antidote.nn.persample.PerSampleGradients;
import antidote.privacy.GradientPrivatizer;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A DP-SGD step: {@link #loss} runs the forward pass with every layer capturing its input and output, and
 * {@link #update} turns the summed loss into per-sample gradients, privatises them (clip, noise, divide by the
 * expected batch) and steps the optimizer. A batch that drew no image (possible under Poisson sampling) still
 * takes a step, of noise alone, so that whether a batch was empty is not revealed.
 */
final class DpTrainingStep implements TrainingStep {
    private final GradientPrivatizer privatizer;
    private final RandomGenerator noise;
    private PerSampleGradients pending;
    private Tensor pendingLoss;
    private int pendingSize;

    DpTrainingStep(GradientPrivatizer privatizer, RandomGenerator noise) {
        this.privatizer = privatizer;
        this.noise = noise;
    }

    @Override
    public Tensor loss(Module model, Batch batch) {
        pendingSize = batch.size();
        if (pendingSize == 0) {
            pending = null;
            pendingLoss = Tensor.scalar(0);
            return pendingLoss;
        }
        pending = PerSampleGradients.forward(model, batch.images());
        pendingLoss = pending.logits().crossEntropy(batch.labels());
        return pendingLoss;
    }

    @Override
    public void update(Tensor loss, Module model, Optimizer optimizer) {
        if (loss != pendingLoss) {
            throw new IllegalStateException("DpTrainingStep.update needs the loss its own loss() just returned");
        }
        List<Tensor> gradients = pending == null ? privatizer.noiseOnly(model.parameterValues(), noise)
                : privatizer.privatize(pending.gradients(loss.mul(pendingSize)), noise);
        pending = null;
        pendingLoss = null;
        optimizer.step(gradients);
    }
}
