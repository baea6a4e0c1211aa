package antidote.poison;

import antidote.attack.ImageShape;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PGD of the hidden-trigger poisons: stays in the ε ball and [0,1], and pulls the features together. */
class HiddenTriggerPoisonsTest {
    private static float[][] images(int count, ImageShape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] images = new float[count][shape.size()];
        for (float[] image : images) {
            for (int i = 0; i < image.length; i++) {
                image[i] = random.nextInt(4) == 0 ? (random.nextBoolean() ? 0f : 1f) : (float) random.nextDouble();
            }
        }
        return images;
    }

    private static double distance(SmallVgg model, ImageShape shape, float[] a, float[] b) {
        Tensor fa = model.penultimate(Tensor.fromArray(a, 1, shape.channels(), shape.height(), shape.width()));
        Tensor fb = model.penultimate(Tensor.fromArray(b, 1, shape.channels(), shape.height(), shape.width()));
        return fa.sub(fb).square().sum().item();
    }

    @Test
    void poisonsStayInTheEpsilonBallAndTheUnitRangeAndMoveTowardsTheirSource() {
        ImageShape shape = new ImageShape(1, 8, 8);
        SmallVgg model = new SmallVgg(1, 8, 8, 3, new SplittableRandom(1));
        model.eval();
        float[][] targets = images(5, shape, 2);
        float[][] sources = {images(1, shape, 3)[0]};
        float epsilon = 0.1f;
        float[][] poisons = HiddenTriggerPoisons.craft(model, shape, targets, sources, epsilon, 10, 0);
        int onSurface = 0;
        for (int k = 0; k < targets.length; k++) {
            for (int i = 0; i < shape.size(); i++) {
                float v = poisons[k][i];
                assertTrue(v >= 0f && v <= 1f, "poison value " + v + " outside [0,1]");
                float moved = Math.abs(v - targets[k][i]);
                assertTrue(moved <= epsilon + 1e-6f, "poison moved " + moved + " > eps " + epsilon);
                onSurface += moved > epsilon - 1e-4f ? 1 : 0;
            }
            double before = distance(model, shape, targets[k], sources[0]);
            double after = distance(model, shape, poisons[k], sources[0]);
            assertTrue(after < 0.8 * before, "feature distance " + before + " -> " + after);
        }
        assertTrue(onSurface > targets.length * shape.size() / 4, "PGD should use the ball: " + onSurface
                + " values on its surface");
        assertTrue(!model.isTraining(), "the model's mode is restored");
    }

    /** Closest pairs first, each goal used once: the nearest-goal rule would give both poisons goal 0. */
    @Test
    void poisonsArePairedWithGoalsOneToOneClosestPairsFirst() {
        Tensor poisons = Tensor.fromArray(new float[] {0, 0, 0.4f, 0}, 2, 2);
        Tensor goals = Tensor.fromArray(new float[] {0.1f, 0, 5, 5}, 2, 2);
        float[] paired = HiddenTriggerPoisons.pairedGoals(poisons, goals).toFloatArray();
        assertArrayEquals(new float[] {0.1f, 0, 5, 5}, paired, "(0,0) takes the goal at 0.01, (0.4,0) the other");
        Tensor swapped = Tensor.fromArray(new float[] {0.4f, 0, 0, 0}, 2, 2);
        assertArrayEquals(new float[] {5, 5, 0.1f, 0}, HiddenTriggerPoisons.pairedGoals(swapped, goals).toFloatArray());
    }
}
