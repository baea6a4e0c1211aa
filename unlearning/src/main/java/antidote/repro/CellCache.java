package antidote.repro;

import antidote.report.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finished cells, one JSON file per hash under {@code <cache>/cells/}, written atomically: an interrupted
 * reproduction loses at most the cell it was computing, and machines sharing the folder share their results.
 */
public final class CellCache {
    private final Path dir;

    public CellCache(Path cacheDir) {
        this.dir = cacheDir.resolve("cells");
    }

    /** The result of the cell with {@code hash}, if it has been computed; a damaged file is named, not ignored. */
    public Optional<CellResult> get(String hash) throws IOException {
        Path file = file(hash);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        CellResult result;
        try {
            result = Json.read(file, CellResult.class);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a cell result (" + e.getMessage() + "); delete it to compute the "
                    + "cell again");
        }
        if (result == null || result.row() == null || !hash.equals(result.hash())) {
            throw new IOException(file + " does not hold the result of cell " + hash + "; delete it to compute the "
                    + "cell again");
        }
        return Optional.of(result);
    }

    public void put(CellResult result) throws IOException {
        Json.write(file(result.hash()), result);
    }

    private Path file(String hash) {
        return dir.resolve(hash + ".json");
    }
}
