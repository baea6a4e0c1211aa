package antidote.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoresTest {
    @Test
    void accuracyIsTheShareOfCorrectPredictions() {
        assertEquals(0.75, Scores.accuracy(new int[] {0, 1, 2, 2}, new int[] {0, 1, 2, 0}));
    }

    @Test
    void allToOneAsrLeavesOutTargetClassImages() {
        // Target 2. Images 0-3 are from other classes: 3 of them predicted 2. The target-class image does not count.
        int[] labels = {0, 1, 1, 3, 2};
        int[] predictions = {2, 2, 1, 2, 2};
        assertEquals(0.75, Scores.attackSuccessRate(predictions, labels, 2));
        assertEquals(0.75, Scores.attackSuccessRate(predictions, labels, new int[] {2, 2, 2, 2, 2}));
        int[] allWrong = {2, 2, 2, 2, 0};
        assertEquals(1.0, Scores.attackSuccessRate(allWrong, labels, 2), "a target image predicted 0 is no failure");
    }

    @Test
    void allToAllAsrCountsEveryImageAgainstItsShiftedLabel() {
        int[] labels = {0, 1, 2, 2};
        int[] poisoned = {1, 2, 0, 0};
        int[] predictions = {1, 2, 2, 0};
        assertEquals(0.75, Scores.attackSuccessRate(predictions, labels, poisoned));
    }

    @Test
    void robustAccuracyCountsTrueLabelsOnTheSameImagesAsAsr() {
        int[] labels = {0, 1, 1, 3, 2};
        int[] poisoned = {2, 2, 2, 2, 2};
        int[] predictions = {0, 2, 1, 0, 2};
        assertEquals(0.5, Scores.robustAccuracy(predictions, labels, poisoned));
        assertEquals(0.25, Scores.attackSuccessRate(predictions, labels, poisoned));
    }

    @Test
    void noCountedImageOrMismatchedLengthsAreErrors() {
        var none = assertThrows(IllegalArgumentException.class,
                () -> Scores.attackSuccessRate(new int[] {2, 2}, new int[] {2, 2}, 2));
        assertTrue(none.getMessage().contains("classes other than the target"), none.getMessage());
        var length = assertThrows(IllegalArgumentException.class,
                () -> Scores.robustAccuracy(new int[] {1}, new int[] {1}, new int[] {2, 2}));
        assertTrue(length.getMessage().contains("poisonedLabels has 2 entries but labels has 1"), length.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Scores.accuracy(new int[0], new int[0]));
    }
}
