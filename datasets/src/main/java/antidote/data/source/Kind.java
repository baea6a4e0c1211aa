package antidote.data.source;

import antidote.data.format.ImageOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * What is known about one named dataset: the sub-folder names it usually lives under, how to recognise its
 * folder, what files it needs, how to get them, and how to open it once found.
 */
record Kind(String name, List<String> folderNames, Predicate<Path> isHome, String needs, String howToGet,
            BiFunction<Path, ImageOptions, DataSource> open) {
}
