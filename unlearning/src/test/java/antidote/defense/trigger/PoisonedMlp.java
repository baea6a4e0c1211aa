package antidote.defense.trigger;

import antidote.attack.BadNets;
import antidote.attack.SquarePatch;
import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.data.Epoch;
import antidote.data.Loader;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.nn.layer.Relu;
import antidote.nn.optim.Adam;
import antidote.pipeline.GeneratedImages;
import antidote.poison.Poisoning;
import antidote.poison.TriggeredTestSet;

import java.util.SplittableRandom;

/**
 * Test fixture for the trigger-synthesis defenses: a two-layer perceptron trained in a few seconds on 3,000
 * generated 1x28x28 images, 10% of them carrying a 3x3 white BadNets patch in the bottom-right corner
 * (rows/cols 25-27) relabelled to class 0; with 1,000 clean images for the defense and 1,000 held-out ones.
 */
public record PoisonedMlp(Module model, Dataset clean, Dataset eval, TriggeredTestSet triggered) {
    public static final int TARGET = 0;
    public static final int PATCH = 3;

    /** Trains a fresh poisoned model (seeded: the same every time). */
    public static PoisonedMlp train() {
        BadNets attack = new BadNets(TARGET, SquarePatch.bottomRight(PATCH));
        Dataset train = Poisoning.poisonTraining(GeneratedImages.make(3000, 1), attack, 0.1, 0).dataset();
        SplittableRandom rng = new SplittableRandom(7);
        Module model = new Sequential(new Flatten(), new Linear(784, 64, true, rng), new Relu(),
                new Linear(64, 10, true, rng));
        Adam adam = new Adam(model.parameters(), 2e-3);
        Loader loader = Loader.over(train).batchSize(64).seed(1).prefetch(false).build();
        for (int e = 0; e < 6; e++) {
            try (Epoch epoch = loader.epoch(e)) {
                for (Batch b : epoch) {
                    var loss = model.forward(b.images()).crossEntropy(b.labels());
                    adam.step(Autodiff.grad(loss, model.parameterValues()));
                }
            }
        }
        model.eval();
        Dataset eval = GeneratedImages.make(1000, 3);
        return new PoisonedMlp(model, GeneratedImages.make(1000, 2), eval, Poisoning.triggerTest(eval, attack));
    }

    /** Share of a [1,1,28,28] mask's mass inside the planted patch. */
    public static double massOnPatch(double[] mask) {
        double inside = 0;
        double total = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double v = Math.abs(mask[y * 28 + x]);
                total += v;
                inside += y >= 28 - PATCH && x >= 28 - PATCH ? v : 0;
            }
        }
        return inside / total;
    }
}
