package antidote.data;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DatasetSummaryTest {
    @Test
    void countsClassesAndPixelStatistics() {
        // Two 1x1x2 images: pixels 0, 255 and 255, 255: mean 0.75, std sqrt(0.75·0.25) ≈ 0.4330.
        Dataset train = Dataset.of("d/train", new byte[] {0, (byte) 255, (byte) 255, (byte) 255}, new int[] {1, 1}, 1, 1, 2,
                List.of("a", "b", "c"));
        Dataset test = train.slice(0, 1);
        Map<String, Dataset> splits = new LinkedHashMap<>();
        splits.put("train", train);
        splits.put("test", test);
        DatasetSummary summary = DatasetSummary.of("d", splits);
        SplitSummary t = summary.splits().get("train");
        assertEquals(2, t.count());
        assertEquals(List.of(0, 2, 0), t.classCounts());
        assertEquals(0.75, t.mean().get(0), 1e-12);
        assertEquals(Math.sqrt(0.75 * 0.25), t.std().get(0), 1e-12);
        assertEquals(0.5, summary.splits().get("test").mean().get(0), 1e-12);

        Map<String, Object> map = summary.toMap();
        assertEquals(List.of("name", "shape", "numClasses", "classNames", "splits"), List.copyOf(map.keySet()));
        assertEquals(List.of(1, 1, 2), map.get("shape"));
        assertEquals(List.of("train", "test"), List.copyOf(((Map<?, ?>) map.get("splits")).keySet()));
    }
}
