package antidote.defense.trigger;

import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.pipeline.GeneratedImages;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TriggerUnlearningTest {

    /** A trigger that adds a constant, so that a stamped row shows which trigger it got. */
    private record Constant(int target, double value) implements Trigger {
        @Override
        public Tensor stamp(Tensor images) {
            return images.add(value);
        }
    }

    @Test
    void stampsTheFractionOfTheBatchEachRowWithOneTrigger() {
        Tensor images = Tensor.zeros(10, 1, 2, 2);
        double[] v = TriggerUnlearning.stamp(images, List.of(new Constant(0, 1), new Constant(1, 2)), 0.3,
                new SplittableRandom(4)).toDoubleArray();
        int stamped = 0;
        for (int r = 0; r < 10; r++) {
            double first = v[4 * r];
            for (int i = 1; i < 4; i++) {
                assertEquals(first, v[4 * r + i], "a row is stamped whole or not at all");
            }
            assertTrue(first == 0 || first == 1 || first == 2, "row " + r + " holds " + first);
            stamped += first == 0 ? 0 : 1;
        }
        assertEquals(3, stamped);
    }

    @Test
    void withNoTriggerTheModelIsUnchangedAndOneRoundIsReported() {
        Module model = new Sequential(new Flatten(), new Linear(784, 10, true, new SplittableRandom(2)));
        float[] before = model.parameterValues().get(0).toFloatArray();
        List<Integer> rounds = new ArrayList<>();
        TriggerUnlearning.run("test", model, GeneratedImages.make(50, 1), List.of(), TriggerUnlearning.Settings.DEFAULT,
                0, (round, m) -> rounds.add(round), 0, 1);
        assertEquals(List.of(1), rounds);
        assertArrayEquals(before, model.parameterValues().get(0).toFloatArray());
    }
}
