package antidote.backend.cuda;

import antidote.backend.Backend;
import antidote.backend.Backends;
import antidote.backend.BinaryOp;
import antidote.backend.Storage;
import antidote.check.BackendConformance;
import antidote.check.Repeatability;
import antidote.core.DType;
import antidote.core.Device;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CUDA backend against the reference, on both of its paths (cuBLAS/cuDNN where they load, and the
 * project's kernels alone), plus run-to-run determinism and memory scopes on the real device. Needs a GPU:
 * elsewhere every test is skipped with the provider's reason.
 */
class CudaBackendConformanceTest {
    private static final double FLOAT32_TOLERANCE = 1e-5;

    /** Created on first use, after the availability check, so that no test constructs it without a GPU. */
    private static Backend ownKernels;

    /**
     * Per test rather than once per class, so that every skipped test reports the reason (it runs before the
     * suite's own @BeforeEach, which asks the nested classes for their backend).
     */
    @BeforeEach
    void requireGpu() {
        Optional<String> reason = new CudaProvider().unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "skipped: the CUDA backend is unavailable here: " + reason.orElse(""));
    }

    /** The backend as ServiceLoader gives it: cuBLAS and cuDNN when they load. */
    @Nested
    class AsDiscovered extends BackendConformance {
        @Override
        protected Backend backend() {
            return Backends.get(new Device("cuda", 0));
        }

        @Override
        protected double float32Tolerance() {
            return FLOAT32_TOLERANCE;
        }
    }

    /** The project's own GEMM and convolution kernels, whatever libraries the machine has. */
    @Nested
    class OwnKernelsOnly extends BackendConformance {
        @Override
        protected Backend backend() {
            return ownKernels();
        }

        @Override
        protected double float32Tolerance() {
            return FLOAT32_TOLERANCE;
        }
    }

    @Test
    void cudaIsTheDefaultDeviceWhenAvailable() {
        if (System.getProperty("antidote.device") == null && System.getenv("ANTIDOTE_DEVICE") == null) {
            assertEquals(new Device("cuda", 0), Backends.defaultDevice());
        }
        System.out.println("[cuda-kernels] " + Backends.get(new Device("cuda", 0)));
    }

    @Test
    void sameInputTwiceGivesBitIdenticalOutput() {
        for (Backend backend : List.of(Backends.get(new Device("cuda", 0)), ownKernels())) {
            Repeatability.assertKernelsRepeatable(backend);
        }
    }

    @Test
    void memoryScopeReleasesDeviceBuffersAndStaleUseFails() {
        Backend backend = Backends.get(new Device("cuda", 0));
        Storage kept;
        Storage dropped;
        try (MemoryScope scope = MemoryScope.open()) {
            Storage x = backend.fromArray(new float[]{1, 2, 3});
            dropped = backend.full(DType.FLOAT32, 3, 1);
            kept = scope.keep(backend.binary(BinaryOp.ADD, x, new int[]{3}, dropped, new int[]{3},
                    new int[]{3}));
        }
        assertArrayEquals(new float[]{2, 3, 4}, backend.toFloatArray(kept));
        assertThrows(IllegalStateException.class, () -> backend.toFloatArray(dropped));
        // The released blocks are reused: a new buffer of the same size class overwrites one, and kept is intact.
        backend.full(DType.FLOAT32, 3, 7);
        assertArrayEquals(new float[]{2, 3, 4}, backend.toFloatArray(kept));
    }

    @Test
    void allocationsBeyondTheDeviceMemoryFailWithAClearMessage() {
        Backend backend = Backends.get(new Device("cuda", 0));
        List<Storage> held = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i < 100_000; i++) {
                held.add(backend.full(DType.FLOAT64, Integer.MAX_VALUE / 8, 0));
            }
        });
        assertTrue(e.getMessage().contains("out of GPU memory"), e.getMessage());
        held.forEach(s -> ((DeviceBuffer) s).release());
    }

    private static synchronized Backend ownKernels() {
        if (ownKernels == null) {
            ownKernels = CudaBackend.ownKernelsOnly(CudaProvider.context(0));
        }
        return ownKernels;
    }


}
