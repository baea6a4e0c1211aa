package antidote.data.source;

import antidote.data.format.ImageOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Opens a dataset by name ("fashion-mnist", "cifar10", "gtsrb", "folder:PATH", ...), searching a {@link SearchPath}. */
public final class DataSources {
    /** The prefix of image-folder specs: "folder:PATH". */
    public static final String FOLDER_PREFIX = "folder:";
    private static final Map<String, Kind> KINDS = List.of(IdxSource.MNIST, IdxSource.FASHION_MNIST, CifarSource.CIFAR10,
            CifarSource.CIFAR100, CifarSource.CIFAR100_COARSE, GtsrbSource.GTSRB).stream()
            .collect(Collectors.toMap(Kind::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));

    private DataSources() {
    }

    /** The names that {@link #open} accepts, with "folder:PATH" last. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(KINDS.keySet());
        names.add(FOLDER_PREFIX + "PATH");
        return names;
    }

    /** Opens {@code spec} with images resized to 32x32 where the format needs it. */
    public static DataSource open(String spec, SearchPath searchPath) throws IOException {
        return open(spec, searchPath, ImageOptions.DEFAULT);
    }

    /**
     * Opens {@code spec}: a dataset name, searched for in every root of {@code searchPath} (first the root itself
     * where allowed, then its usual sub-folders), or "folder:PATH" (PATH as given, else under each root).
     * {@code options} sets the image size of GTSRB and image folders.
     */
    public static DataSource open(String spec, SearchPath searchPath, ImageOptions options) throws IOException {
        if (spec.startsWith(FOLDER_PREFIX)) {
            return openFolder(spec.substring(FOLDER_PREFIX.length()), searchPath, options);
        }
        Kind kind = KINDS.get(spec.strip().toLowerCase(Locale.ROOT));
        if (kind == null) {
            throw new IllegalArgumentException("unknown dataset '" + spec + "'; known: " + names());
        }
        List<String> searched = new ArrayList<>();
        for (SearchPath.Root root : searchPath.roots()) {
            List<Path> candidates = new ArrayList<>();
            if (root.direct()) {
                candidates.add(root.dir());
            }
            kind.folderNames().forEach(name -> candidates.add(root.dir().resolve(name)));
            for (Path dir : candidates) {
                if (kind.isHome().test(dir)) {
                    return kind.open().apply(dir, options);
                }
                searched.add(dir + " (" + root.origin() + ")");
            }
        }
        throw new DatasetNotFoundException(kind.name(), kind.needs(), searched, kind.howToGet());
    }

    private static DataSource openFolder(String path, SearchPath searchPath, ImageOptions options) throws IOException {
        if (path.isBlank()) {
            throw new IllegalArgumentException("'" + FOLDER_PREFIX + "' needs a path, as in folder:/data/my-images");
        }
        Path given = Path.of(path);
        List<Path> candidates = new ArrayList<>();
        candidates.add(given.toAbsolutePath().normalize());
        if (!given.isAbsolute()) {
            searchPath.roots().forEach(root -> candidates.add(root.dir().resolve(given)));
        }
        for (Path dir : candidates) {
            if (Files.isDirectory(dir)) {
                return new FolderSource(dir, options);
            }
        }
        throw new DatasetNotFoundException(FOLDER_PREFIX + path, "a folder with one sub-folder of images per class",
                candidates.stream().map(Path::toString).toList(),
                "create PATH/<class>/<image>.png for each class (optionally under PATH/train and PATH/test)");
    }
}
