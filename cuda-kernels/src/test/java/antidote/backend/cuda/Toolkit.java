package antidote.backend.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds CUDA toolkit programs the way build-ptx.sh finds nvcc: an environment variable (where "none" means
 * absent), PATH, /usr/local/cuda/bin.
 */
final class Toolkit {
    private Toolkit() {
    }

    static Optional<Path> find(String program, String environmentVariable) {
        String named = System.getenv(environmentVariable);
        if (named != null && !named.isBlank()) {
            return named.equals("none") ? Optional.empty() : Optional.of(Path.of(named));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path standard = Path.of("/usr/local/cuda/bin", program);
        return Files.isExecutable(standard) ? Optional.of(standard) : Optional.empty();
    }
}
