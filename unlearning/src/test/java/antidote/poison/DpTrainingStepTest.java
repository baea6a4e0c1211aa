package antidote.poison;

import antidote.data.Batch;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.nn.optim.Optimizer;
import antidote.nn.persample.PerSampleGradients;
import antidote.privacy.DpSettings;
import antidote.privacy.GradientPrivatizer;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A DP-SGD step over a batch larger than the group whose per-sample gradients it holds at once gives the step of
 * the whole batch's per-sample gradients: the same clipping, sum, noise and division, up to float rounding.
 */
class DpTrainingStepTest {

    @Test
    void aBatchInGroupsGivesTheWholeBatchsPrivatisedGradient() {
        int n = 2 * DpTrainingStep.CHUNK + 6;
        SplittableRandom rng = new SplittableRandom(1);
        float[] pixels = new float[n * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
        }
        int[] labels = rng.ints(n, 0, 3).toArray();
        int[] indices = new int[n];
        Batch batch = new Batch(pixels, labels, indices, 1, 4, 4);
        Module model = new Sequential(new Flatten(), new Linear(16, 3, true, new SplittableRandom(2)));
        // Clip 0.05: most samples are clipped, so the factors matter.
        DpSettings settings = new DpSettings(0.05, 1.0, DpSettings.Sampling.POISSON, 1e-5);
        GradientPrivatizer privatizer = new GradientPrivatizer(settings, 64);

        DpTrainingStep step = new DpTrainingStep(privatizer, new SplittableRandom(3));
        Tensor loss = step.loss(model, batch);
        List<List<Tensor>> taken = new ArrayList<>();
        step.update(loss, model, recording(taken));

        PerSampleGradients whole = PerSampleGradients.forward(model, batch.images());
        Tensor wholeLoss = whole.logits().crossEntropy(labels);
        List<Tensor> expected = privatizer.privatize(whole.gradients(wholeLoss.mul(n)), new SplittableRandom(3));

        assertEquals(wholeLoss.item(), loss.item(), 1e-6);
        assertEquals(expected.size(), taken.get(0).size());
        for (int p = 0; p < expected.size(); p++) {
            assertArrayEquals(expected.get(p).toFloatArray(), taken.get(0).get(p).toFloatArray(), 1e-6f,
                    "parameter " + p);
        }
    }

    private static Optimizer recording(List<List<Tensor>> taken) {
        return new Optimizer() {
            @Override
            public void step(List<Tensor> grads) {
                taken.add(grads);
            }

            @Override
            public double learningRate() {
                return 0;
            }

            @Override
            public void setLearningRate(double lr) {
            }

            @Override
            public List<Tensor> state() {
                return List.of();
            }
        };
    }
}
