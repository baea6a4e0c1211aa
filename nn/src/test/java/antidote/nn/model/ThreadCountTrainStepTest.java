package antidote.nn.model;

import antidote.check.ThreadCounts;
import antidote.grad.Autodiff;
import antidote.nn.optim.Adam;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two SmallVgg train steps (forward in training mode with dropout and batch statistics, gradient, Adam) give the
 * same bits on 1, 2 and 3 CPU threads: the losses, the gradients and the updated parameters.
 */
class ThreadCountTrainStepTest {
    @Test
    void trainStepsGiveTheSameBitsOnOneTwoAndThreeThreads() {
        List<String> digests = ThreadCounts.outputs(TrainSteps.class, new int[]{1, 2, 3});
        assertEquals(digests.get(0), digests.get(1), "2 threads differ from 1");
        assertEquals(digests.get(0), digests.get(2), "3 threads differ from 1");
    }

    /** The computation, run in a child JVM: prints the digest of everything the steps produced. */
    static final class TrainSteps {
        private static final int BATCH = 8;
        private static final int SIZE = 16;

        public static void main(String[] args) {
            SplittableRandom random = new SplittableRandom(5);
            SmallVgg model = new SmallVgg(1, SIZE, SIZE, 10, random.split());
            Adam adam = new Adam(model.parameters(), 1e-3);
            model.train();
            List<float[]> results = new ArrayList<>();
            for (int step = 0; step < 2; step++) {
                float[] pixels = new float[BATCH * SIZE * SIZE];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (float) random.nextDouble();
                }
                int[] labels = random.ints(BATCH, 0, 10).toArray();
                Tensor loss = model.forward(Tensor.fromArray(pixels, BATCH, 1, SIZE, SIZE)).crossEntropy(labels);
                List<Tensor> grads = Autodiff.grad(loss, model.parameterValues());
                results.add(loss.toFloatArray());
                grads.forEach(g -> results.add(g.toFloatArray()));
                adam.step(grads);
            }
            model.parameterValues().forEach(p -> results.add(p.toFloatArray()));
            System.out.println(ThreadCounts.digest(results));
        }
    }
}
