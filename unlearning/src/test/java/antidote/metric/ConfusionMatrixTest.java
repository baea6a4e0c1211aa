package antidote.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    // Ten images, three classes; class 2 has no images and one wrong prediction lands in it.
    private static final int[] LABELS = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    private static final int[] PREDICTIONS = {0, 0, 1, 2, 1, 1, 1, 0, 0, 1};

    @Test
    void countsMatchTheHandComputedMatrix() {
        ConfusionMatrix matrix = ConfusionMatrix.of(PREDICTIONS, LABELS, 3);
        long[][] expected = {
            {2, 1, 1},
            {2, 4, 0},
            {0, 0, 0}};
        assertArrayEquals(expected, matrix.toArray());
        assertEquals(3, matrix.numClasses());
        assertEquals(10, matrix.total());
        assertEquals(6, matrix.correct());
        assertEquals(0.6, matrix.accuracy(), 1e-12);
        assertEquals(2, matrix.count(1, 0));
        assertEquals(6, matrix.support(1));
        assertEquals("[2, 1, 1]\n[2, 4, 0]\n[0, 0, 0]\n", matrix.toString());
    }

    @Test
    void perClassAccuracyIsRecallWithNanForAnEmptyClass() {
        double[] perClass = ConfusionMatrix.of(PREDICTIONS, LABELS, 3).perClassAccuracy();
        assertEquals(0.5, perClass[0], 1e-12);
        assertEquals(4.0 / 6, perClass[1], 1e-12);
        assertTrue(Double.isNaN(perClass[2]));
    }

    @Test
    void accuracyAgreesWithScores() {
        assertEquals(Scores.accuracy(PREDICTIONS, LABELS), ConfusionMatrix.of(PREDICTIONS, LABELS, 3).accuracy());
    }

    @Test
    void badInputsNameTheEntryAndTheFix() {
        var range = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 1}, 3));
        assertTrue(range.getMessage().contains("predictions[1] = 3 is outside 0..2"), range.getMessage());
        var length = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0}, new int[] {0, 1}, 3));
        assertTrue(length.getMessage().contains("one entry per image"), length.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[0], new int[0], 3));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(PREDICTIONS, LABELS, 3).count(3, 0));
    }
}
