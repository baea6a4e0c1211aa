package antidote.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** The PTX modules that the build compiled from src/main/cuda and packaged as class-path resources. */
final class Ptx {
    /** Where build-ptx.sh writes them (see the cuda-ptx profile of cuda-kernels/pom.xml). */
    static final String RESOURCE_DIR = "/antidote/backend/cuda/ptx/";

    private Ptx() {
    }

    /** The module's text, NUL-terminated as cuModuleLoadData requires; empty when it was not built. */
    static Optional<byte[]> read(String module) {
        try (InputStream in = Ptx.class.getResourceAsStream(RESOURCE_DIR + module + ".ptx")) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] text = in.readAllBytes();
            byte[] terminated = new byte[text.length + 1];
            System.arraycopy(text, 0, terminated, 0, text.length);
            return Optional.of(terminated);
        } catch (IOException e) {
            throw new UncheckedIOException("reading PTX module " + module + " from the class path", e);
        }
    }

    /** The modules the kernels need that are not on the class path. */
    static List<String> missing() {
        return Kernel.modules().stream()
                .filter(m -> Ptx.class.getResource(RESOURCE_DIR + m + ".ptx") == null)
                .toList();
    }
}
