package antidote.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SplitsTest {
    private final Dataset data = Fixtures.randomDataset(100, 1, 2, 2, 4, 9);

    @Test
    void randomSplitIsDeterministicDisjointAndComplete() {
        Split a = Splits.random(data, 30, 7);
        Split b = Splits.random(data, 30, 7);
        assertArrayEquals(a.firstIndices(), b.firstIndices());
        assertEquals(30, a.first().size());
        assertEquals(70, a.second().size());
        int[] all = IntStream.concat(Arrays.stream(a.firstIndices()), Arrays.stream(a.secondIndices())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 100).toArray(), all);
        assertArrayEquals(data.imageBytes(a.firstIndices()[3]), a.first().imageBytes(3));
        assertFalse(Arrays.equals(a.firstIndices(), Splits.random(data, 30, 8).firstIndices()), "seed matters");
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        Split split = Splits.stratified(data, 0.2, 3);
        assertArrayEquals(new int[] {5, 5, 5, 5}, split.first().classCounts());
        assertArrayEquals(new int[] {20, 20, 20, 20}, split.second().classCounts());
        assertArrayEquals(split.firstIndices(), Splits.stratified(data, 0.2, 3).firstIndices());
    }

    @Test
    void headTakesTheFirstSamples() {
        Split split = Splits.head(data, 50);
        assertArrayEquals(data.imageBytes(49), split.first().imageBytes(49));
        assertArrayEquals(data.imageBytes(50), split.second().imageBytes(0));
        assertEquals(50, split.secondIndices()[0]);
    }
}
