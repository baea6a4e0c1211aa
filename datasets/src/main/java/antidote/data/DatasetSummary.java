package antidote.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the CLI's {@code data} command prints: the dataset's name, image shape {C, H, W}, class names, and per
 * split (in the given order) the count, class counts and pixel mean/std. {@link #toMap()} is ready for JSON.
 */
public record DatasetSummary(String name, List<Integer> imageShape, List<String> classNames,
                             Map<String, SplitSummary> splits) {

    /** Summarises the named splits of one dataset (for example "train" and "test"); shapes and classes must agree. */
    public static DatasetSummary of(String name, Map<String, Dataset> splits) {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException(name + ": no splits to summarise");
        }
        Dataset first = splits.values().iterator().next();
        Map<String, SplitSummary> summaries = new LinkedHashMap<>();
        splits.forEach((split, dataset) -> {
            if (!Arrays.equals(dataset.imageShape(), first.imageShape())
                    || !dataset.classNames().equals(first.classNames())) {
                throw new IllegalArgumentException(name + ": split '" + split + "' (" + dataset.describe()
                        + ") does not match " + first.describe());
            }
            summaries.put(split, SplitSummary.of(dataset));
        });
        return new DatasetSummary(name, Arrays.stream(first.imageShape()).boxed().toList(), first.classNames(),
                Collections.unmodifiableMap(summaries));
    }

    /** The summary as nested maps and lists: name, shape, numClasses, classNames, splits. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("shape", imageShape);
        map.put("numClasses", classNames.size());
        map.put("classNames", classNames);
        Map<String, Object> splitMaps = new LinkedHashMap<>();
        splits.forEach((split, summary) -> splitMaps.put(split, summary.toMap()));
        map.put("splits", splitMaps);
        return map;
    }
}
