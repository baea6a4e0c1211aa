package antidote.nn.model;

import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.nn.optim.Optimizer;
import antidote.nn.optim.Sgd;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SmallVgg learns 10 procedurally drawn shape classes (2,000 training images of 1x16x16, 500 held out) to
 * above 90% held-out accuracy in one epoch of batches of 20, with Adam and with SGD (Nesterov momentum), on
 * the default backend in float32. Each test takes about a minute on a busy 2-core machine.
 */
class TrainingTest {
    private static final Shapes TRAIN = Shapes.generate(2000, 1);
    private static final Shapes TEST = Shapes.generate(500, 2);
    private static final int BATCH = 20;

    @Test
    void learnsShapesWithAdam() {
        assertLearns("Adam", model -> new Adam(model.parameters(), 2e-3));
    }

    @Test
    void learnsShapesWithSgd() {
        assertLearns("SGD", model -> new Sgd(model.parameters(), 0.02, 0.9, 0, 5e-4, true));
    }

    private static void assertLearns(String name, Function<Module, Optimizer> makeOptimizer) {
        SmallVgg model = new SmallVgg(1, Shapes.SIZE, Shapes.SIZE, Shapes.CLASSES, new SplittableRandom(11));
        Optimizer optimizer = makeOptimizer.apply(model);
        long start = System.nanoTime();
        model.train();
        for (int from = 0; from < TRAIN.size(); from += BATCH) {
            Tensor loss = model.forward(TRAIN.images(from, from + BATCH)).crossEntropy(TRAIN.labels(from, from + BATCH));
            optimizer.step(Autodiff.grad(loss, model.parameterValues()));
        }
        double accuracy = accuracy(model);
        System.out.printf("%s: held-out accuracy %.3f after one epoch, %.1f s%n", name, accuracy,
                (System.nanoTime() - start) / 1e9);
        assertTrue(accuracy > 0.9, name + ": held-out accuracy " + accuracy + " after one epoch");
    }

    private static double accuracy(Module model) {
        model.eval();
        int correct = 0;
        try (GradMode.Scope off = GradMode.disabled()) {
            for (int from = 0; from < TEST.size(); from += BATCH) {
                int[] predicted = model.forward(TEST.images(from, from + BATCH)).argMax(1);
                int[] labels = TEST.labels(from, from + BATCH);
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == labels[i] ? 1 : 0;
                }
            }
        }
        return correct / (double) TEST.size();
    }
}
