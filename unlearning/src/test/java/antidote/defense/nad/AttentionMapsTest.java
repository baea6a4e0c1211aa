package antidote.defense.nad;

import antidote.check.GradCheck;
import antidote.check.ReferenceBackend;
import antidote.core.DType;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** NAD's attention map and distillation loss on small hand-computed tensors, and their gradient in float64. */
class AttentionMapsTest {

    private static Tensor of(double[] values, int... shape) {
        return Tensor.fromArray(values, Shape.of(shape), ReferenceBackend.DEVICE);
    }

    /** One image, two channels of 1x2: channel 0 = [1, −2], channel 1 = [2, 0]. */
    private static final double[] STUDENT = {1, -2, 2, 0};
    /** Channel 0 = [1, 0], channel 1 = [0, 1]. */
    private static final double[] TEACHER = {1, 0, 0, 1};

    @Test
    void theMapIsTheNormalisedChannelSumOfSquares() {
        Tensor a = AttentionMaps.of(of(STUDENT, 1, 2, 1, 2), 2);
        assertEquals(Shape.of(1, 1, 1, 2), a.shape());
        // A = [1 + 4, 4 + 0] = [5, 4], ‖A‖ = √41.
        double norm = Math.sqrt(41) + AttentionMaps.EPS;
        assertArrayEquals(new double[] {5 / norm, 4 / norm}, a.toDoubleArray(), 1e-12);
        // p = 1 sums absolute values: A = [3, 2].
        double norm1 = Math.sqrt(13) + AttentionMaps.EPS;
        assertArrayEquals(new double[] {3 / norm1, 2 / norm1}, AttentionMaps.of(of(STUDENT, 1, 2, 1, 2), 1)
                .toDoubleArray(), 1e-12);
    }

    @Test
    void eachImageIsNormalisedOnItsOwn() {
        double[] two = {1, -2, 2, 0, 10, -20, 20, 0};
        double[] a = AttentionMaps.of(of(two, 2, 2, 1, 2), 2).toDoubleArray();
        assertArrayEquals(new double[] {a[0], a[1]}, new double[] {a[2], a[3]}, 1e-6, "scale does not matter (up to the 1e-6)");
    }

    @Test
    void theLossIsTheMeanSquaredDifferenceOfTheMaps() {
        double s = Math.sqrt(41) + AttentionMaps.EPS;
        double t = Math.sqrt(2) + AttentionMaps.EPS;
        double expected = (Math.pow(5 / s - 1 / t, 2) + Math.pow(4 / s - 1 / t, 2)) / 2;
        assertEquals(expected, AttentionMaps.loss(of(STUDENT, 1, 2, 1, 2), of(TEACHER, 1, 2, 1, 2), 2).item(), 1e-12);
        assertEquals(0, AttentionMaps.loss(of(STUDENT, 1, 2, 1, 2), of(STUDENT, 1, 2, 1, 2).mul(3), 2).item(), 1e-12,
                "a teacher with the same attention up to scale costs nothing");
        assertThrows(IllegalArgumentException.class,
                () -> AttentionMaps.loss(of(STUDENT, 1, 2, 1, 2), of(STUDENT, 1, 1, 2, 2), 2));
    }

    @Test
    void theGradientMatchesCentralDifferencesInFloat64() {
        SplittableRandom rng = new SplittableRandom(4);
        double[] student = new double[2 * 3 * 3 * 4];
        double[] teacher = new double[student.length];
        for (int i = 0; i < student.length; i++) {
            student[i] = rng.nextDouble(-2, 2);
            teacher[i] = rng.nextDouble(-2, 2);
        }
        Tensor teacherMaps = of(teacher, 2, 3, 3, 4);
        Tensor x = of(student, 2, 3, 3, 4);
        assertEquals(DType.FLOAT64, x.dtype());
        GradCheck.checkAll("NAD attention loss", in -> AttentionMaps.loss(in.get(0), teacherMaps, 2), List.of(x), rng,
                GradCheck.Tolerance.FLOAT64);
        GradCheck.checkVjp("NAD attention map, p = 3", in -> AttentionMaps.of(in.get(0), 3), List.of(x), rng,
                GradCheck.Tolerance.FLOAT64);
    }
}
