package antidote.defense.trigger;

import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskSearchTest {

    /** The batched stamp of A classes over B images equals stamping each class's trigger on its own, class-major. */
    @Test
    void stampAllMatchesOneClassAtATime() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor images = Tensor.rand(rng, 4, 2, 3, 5);
        Tensor masks = Tensor.rand(rng, 3, 1, 3, 5);
        Tensor patterns = Tensor.rand(rng, 3, 2, 3, 5);
        Tensor all = MaskSearch.stampAll(images, masks, patterns);
        assertArrayEquals(new int[]{12, 2, 3, 5}, all.shape().dims());
        for (int k = 0; k < 3; k++) {
            MaskTrigger t = new MaskTrigger(k, masks.slice(0, k, k + 1), patterns.slice(0, k, k + 1), 0, 0, true);
            assertArrayEquals(t.stamp(images).toFloatArray(), all.slice(0, 4 * k, 4 * k + 4).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void squashStaysInsideTheUnitIntervalAndUnsquashInvertsIt() {
        Tensor w = Tensor.fromArray(new double[]{-50, -1, 0, 1, 50}, 5);
        double[] m = MaskSearch.squash(w).toDoubleArray();
        for (double v : m) {
            assertTrue(v >= 0 && v <= 1, "squashed value " + v);
        }
        assertEquals(0.5, m[2], 1e-12);
        for (double v : new double[]{0.01, 0.3, 0.5, 0.9}) {
            double back = MaskSearch.squash(Tensor.fromArray(new double[]{MaskSearch.unsquash(v)}, 1)).item();
            assertEquals(v, back, 1e-6);
        }
    }
}
