package antidote.backend.cuda;

import antidote.backend.Backend;
import antidote.check.BackendConformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole conformance suite on the CUDA backend's own kernels, run by the CPU emulator ({@link EmulatedGpu}):
 * the kernels' logic and every host-side step of the backend, without a GPU. Skipped, with the reason, where
 * g++ (C++20, with AddressSanitizer) is not available.
 */
class EmulatedCudaBackendTest extends BackendConformance {
    private static Backend backend;
    private static String unavailable;

    @Override
    protected Backend backend() {
        synchronized (EmulatedCudaBackendTest.class) {
            if (backend == null && unavailable == null) {
                try {
                    backend = CudaBackend.ownKernelsOnly(EmulatedGpu.start());
                } catch (Exception e) {
                    unavailable = e.getMessage();
                }
            }
        }
        assumeTrue(backend != null,
                () -> "skipped: the CPU kernel emulator could not be built or started: " + unavailable);
        return backend;
    }

    @Override
    protected double float32Tolerance() {
        return 1e-5;
    }
}
