package antidote.nn.layer;

import antidote.nn.Module;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's default initialisation: weights and biases uniform on ±1/√fan_in, reproducible from a seed. */
class InitTest {

    @Test
    void convAndLinearAreUniformOnTheFanInBound() {
        check(new Conv2d(16, 32, 3, 1, 1, true, new SplittableRandom(1)), 16 * 9);
        check(new Linear(200, 100, true, new SplittableRandom(1)), 200);
    }

    private static void check(Module layer, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] w = layer.stateDict().get("weight").toFloatArray();
        double sum = 0;
        double squares = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= bound, v + " outside ±" + bound);
            sum += v;
            squares += v * v;
        }
        double variance = bound * bound / 3;
        assertEquals(0, sum / w.length, 5 * Math.sqrt(variance / w.length), "mean");
        assertEquals(variance, squares / w.length, 0.05 * variance, "variance of U(-b, b)");
        for (float v : layer.stateDict().get("bias").toFloatArray()) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " outside ±" + bound);
        }
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        assertArrayEquals(new Conv2d(3, 8, 3, 1, 1, false, new SplittableRandom(4)).stateDict().get("weight").toFloatArray(),
                new Conv2d(3, 8, 3, 1, 1, false, new SplittableRandom(4)).stateDict().get("weight").toFloatArray());
    }
}
