package antidote.backend.cuda;

import antidote.backend.Backend;
import antidote.backend.BackendProvider;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Offers {@link CudaBackend} as device kind "cuda" through {@link java.util.ServiceLoader}. Availability is
 * probed once, by opening device 0 and loading every PTX module; any failure (no PTX in the jar, no
 * {@code libcuda.so.1}, no device, a driver too old for the PTX) makes the provider unavailable with the
 * reason, and never escapes class loading, so that the CPU backend is used instead.
 */
public final class CudaProvider implements BackendProvider {
    /** Above the CPU's 0: a working GPU is the default device. */
    public static final int PRIORITY = 10;

    private static final Map<Integer, CudaContext> CONTEXTS = new ConcurrentHashMap<>();

    /** The probe's result, computed on first use; JCuda is not touched until then. */
    private static final class Probe {
        static final Optional<String> UNAVAILABLE_REASON = run();

        private static Optional<String> run() {
            if (!Ptx.missing().isEmpty()) {
                return Optional.of("no PTX kernels in this build (" + Ptx.missing() + " missing: cuda-kernels was"
                        + " built without nvcc, or with NVCC=none); rebuild it where the CUDA toolkit is installed");
            }
            try {
                CONTEXTS.put(0, new CudaContext(0));
                return Optional.empty();
            } catch (LinkageError e) {
                String why = Loaded.summarize(e);
                return Optional.of(why.contains("libcuda.so")
                        ? "no NVIDIA driver: libcuda.so.1 was not found; install the NVIDIA driver (" + why + ")"
                        : "JCuda's native library could not load (" + why + "); is this a platform JCuda supports"
                        + " (Linux or Windows, x86-64)?");
            } catch (RuntimeException e) {
                String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                return Optional.of(message.contains("CUDA_ERROR_NO_DEVICE")
                        ? "no CUDA device: the NVIDIA driver is installed but sees no GPU (CUDA_ERROR_NO_DEVICE)"
                        : "CUDA could not open device 0: " + message);
            }
        }
    }

    @Override
    public String kind() {
        return "cuda";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Probe.UNAVAILABLE_REASON;
    }

    @Override
    public Backend create(int index) {
        unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("cuda is not usable here: " + reason);
        });
        return CudaBackend.withVendorLibraries(context(index));
    }

    /** The shared context of device {@code index}, opened on first use (device 0 by the probe). */
    static CudaContext context(int index) {
        return CONTEXTS.computeIfAbsent(index, CudaContext::new);
    }
}
