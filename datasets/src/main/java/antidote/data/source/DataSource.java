package antidote.data.source;

import antidote.data.Augmentation;
import antidote.data.Dataset;
import antidote.data.DatasetSummary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dataset found on disk: its name, its folder, its splits, and the augmentation customary for training on it. */
public interface DataSource {
    /** The name it was asked for, such as "fashion-mnist". */
    String name();

    /** The folder the files were found in. */
    Path location();

    /** The split names, such as ["train", "test"]. */
    List<String> splits();

    /** Reads one split from disk (each call reads the files again). */
    Dataset load(String split) throws IOException;

    /**
     * The augmentation customarily used when training on this dataset: random crop and flip for CIFAR,
     * crop without flip for GTSRB (signs have a handedness), none for the digit-like datasets.
     */
    Augmentation trainAugmentation();

    /** Every split, in the order of {@link #splits()}. */
    default Map<String, Dataset> loadAll() throws IOException {
        Map<String, Dataset> all = new LinkedHashMap<>();
        for (String split : splits()) {
            all.put(split, load(split));
        }
        return all;
    }

    /** The summary of every split (counts, shape, class counts, pixel mean/std). */
    default DatasetSummary summary() throws IOException {
        return DatasetSummary.of(name(), loadAll());
    }
}
