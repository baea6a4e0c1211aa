package antidote.backend.cuda;

import antidote.backend.Backend;
import antidote.backend.BackendProvider;

import java.util.Optional;

/**
 * Offers the CUDA backend on the CPU kernel emulator ({@link EmulatedGpu}) as device kind {@value #KIND}, so that
 * tensor-level tests (the gradient-spec table, training steps, memory scopes) run the CUDA backend's code without a
 * GPU. Test scope only, and below the CPU's priority: never the default device.
 */
public final class EmulatedCudaProvider implements BackendProvider {
    /** The device kind, e.g. {@code -Dantidote.device=cuda-emulated}. */
    public static final String KIND = "cuda-emulated";

    /** One emulator process for the whole test JVM, started on first use. */
    private static final class Shared {
        static final Backend BACKEND;
        static final String UNAVAILABLE;

        static {
            Backend backend = null;
            String reason = null;
            try {
                backend = CudaBackend.ownKernelsOnly(EmulatedGpu.start());
            } catch (Exception e) {
                reason = "the CPU kernel emulator could not be built or started: " + e.getMessage();
            }
            BACKEND = backend;
            UNAVAILABLE = reason;
        }
    }

    /** The emulated backend, or empty (with {@link #whyUnavailable()}) where g++ cannot build the emulator. */
    static Optional<Backend> backend() {
        return Optional.ofNullable(Shared.BACKEND);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int priority() {
        return -200;
    }

    /**
     * Always empty: discovery (which asks every provider) must not build and start the emulator; {@link #create}
     * says why when it cannot.
     */
    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /** Why the emulator cannot run here, or empty; starts it on first use. */
    static Optional<String> whyUnavailable() {
        return Optional.ofNullable(Shared.UNAVAILABLE);
    }

    @Override
    public Backend create(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("the emulated GPU has only device 0, not " + index);
        }
        return backend().orElseThrow(() -> new IllegalStateException(Shared.UNAVAILABLE));
    }
}
