package antidote.data.source;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The folders a named dataset is looked for in. A {@code --data-dir} is the only one: the dataset is read from
 * it or refused, never silently taken from elsewhere. Without it, in order: each entry of the environment
 * variable {@code ANTIDOTE_DATA} (a path list), then the standard places: {@code ./data},
 * {@code ~/.antidote/data}, {@code ~/data}, {@code /usr/local/share/datasets}, {@code /usr/share/datasets}
 * (where Debian's dataset packages install). Each root is searched for the dataset's usual sub-folder names;
 * the {@code --data-dir} folder may also hold the dataset's files directly.
 */
public final class SearchPath {
    /** The environment variable that names data roots. */
    public static final String ENV = "ANTIDOTE_DATA";

    /** One folder to search: {@code direct} when the dataset's files may lie in it, not only in sub-folders. */
    public record Root(Path dir, String origin, boolean direct) {
    }

    private final List<Root> roots;

    private SearchPath(List<Root> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The search path of this process: {@code dataDir} alone, or (when null) its environment, home and working folder. */
    public static SearchPath standard(Path dataDir) {
        return of(dataDir, System.getenv(), Path.of(System.getProperty("user.home")),
                Path.of(System.getProperty("user.dir")));
    }

    /** A search path from explicit inputs (for tests and embedding); {@code dataDir} may be null. */
    public static SearchPath of(Path dataDir, Map<String, String> env, Path home, Path workingDir) {
        if (dataDir != null) {
            return new SearchPath(List.of(new Root(dataDir.toAbsolutePath().normalize(), "--data-dir", true)));
        }
        List<Root> roots = new ArrayList<>();
        String fromEnv = env.get(ENV);
        if (fromEnv != null) {
            for (String entry : fromEnv.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    roots.add(new Root(Path.of(entry.strip()).toAbsolutePath().normalize(), ENV, false));
                }
            }
        }
        roots.add(new Root(workingDir.resolve("data").toAbsolutePath().normalize(), "working folder", false));
        roots.add(new Root(home.resolve(".antidote").resolve("data"), "home", false));
        roots.add(new Root(home.resolve("data"), "home", false));
        roots.add(new Root(Path.of("/usr/local/share/datasets"), "standard", false));
        roots.add(new Root(Path.of("/usr/share/datasets"), "standard (Debian dataset packages)", false));
        return new SearchPath(roots);
    }

    /** Only the given roots, in order (for tests). */
    public static SearchPath only(List<Root> roots) {
        return new SearchPath(roots);
    }

    /** The roots, in search order. */
    public List<Root> roots() {
        return roots;
    }
}
