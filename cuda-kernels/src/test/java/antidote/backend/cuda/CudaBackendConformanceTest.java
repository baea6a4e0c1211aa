package antidote.backend.cuda;

import antidote.backend.Backend;
import antidote.backend.Backends;
import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.check.BackendConformance;
import antidote.tensor.DType;
import antidote.tensor.Device;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

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
            for (DType dtype : DType.values()) {
                SplittableRandom random = new SplittableRandom(42);
                Storage a = upload(backend, dtype, random, 3 * 70 * 90);
                Storage b = upload(backend, dtype, random, 3 * 90 * 110);
                Storage x = upload(backend, dtype, random, 4 * 3 * 17 * 15);
                Storage w = upload(backend, dtype, random, 8 * 3 * 3 * 3);
                int[] xShape = {4, 3, 17, 15};
                int[] wShape = {8, 3, 3, 3};
                ConvGeometry g = ConvGeometry.of(2, 1);
                int[] gradShape = {4, 8, g.outH(17, 3), g.outW(15, 3)};
                Storage grad = upload(backend, dtype, random, 4 * 8 * gradShape[2] * gradShape[3]);
                int[] index = random.ints(5000, 0, 100).toArray();
                Storage src = upload(backend, dtype, random, 5000);

                assertRepeatable(backend, "matmul", be -> be.matmul(a, b, 3, 70, 90, 110));
                assertRepeatable(backend, "conv2d", be -> be.conv2d(x, xShape, w, wShape, g));
                assertRepeatable(backend, "conv2dBackwardInput",
                        be -> be.conv2dBackwardInput(grad, gradShape, w, wShape, xShape, g));
                assertRepeatable(backend, "conv2dBackwardFilter",
                        be -> be.conv2dBackwardFilter(x, xShape, grad, gradShape, wShape, g));
                assertRepeatable(backend, "sum", be -> be.sum(a, new int[]{3, 70, 90}, new boolean[]{true, false, true}));
                assertRepeatable(backend, "logSoftmax", be -> be.logSoftmax(b, 3, 90, 110));
                assertRepeatable(backend, "scatterAdd", be -> be.scatterAdd(src, index, 100));
            }
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

    private static Storage upload(Backend backend, DType dtype, SplittableRandom random, int size) {
        double[] values = random.doubles(size, -1, 1).toArray();
        if (dtype == DType.FLOAT64) {
            return backend.fromArray(values);
        }
        float[] floats = new float[size];
        for (int i = 0; i < size; i++) {
            floats[i] = (float) values[i];
        }
        return backend.fromArray(floats);
    }

    private static void assertRepeatable(Backend backend, String kernel, Function<Backend, Storage> run) {
        double[] first = backend.toDoubleArray(run.apply(backend));
        double[] second = backend.toDoubleArray(run.apply(backend));
        assertArrayEquals(first, second, kernel + " on " + backend + " differs between two identical runs");
    }
}
