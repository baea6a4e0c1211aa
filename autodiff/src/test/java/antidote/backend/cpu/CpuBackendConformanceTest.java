package antidote.backend.cpu;

import antidote.backend.Backend;
import antidote.backend.Backends;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.check.BackendConformance;
import antidote.tensor.DType;
import antidote.tensor.Device;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU backend against the reference on one and several threads, on both kernel paths (SIMD with
 * {@code jdk.incubator.vector}, which surefire adds, and the plain-Java fallback), plus run-to-run determinism.
 */
class CpuBackendConformanceTest {
    private static final double FLOAT32_TOLERANCE = 1e-5;
    // One backend per configuration for the whole run: JUnit makes a test instance per method.
    private static final Backend ONE_THREAD = new CpuBackend(1);
    private static final Backend TWO_THREADS_ALWAYS_SPLIT = new CpuBackend(2, 1);
    private static final Backend THREE_THREADS_ALWAYS_SPLIT = new CpuBackend(3, 1);
    private static final Backend PLAIN_ONE_THREAD = new CpuBackend(1, CpuBackend.DEFAULT_GRAIN, true);
    private static final Backend PLAIN_TWO_THREADS_ALWAYS_SPLIT = new CpuBackend(2, 1, true);

    @Test
    void theSimdPathIsTheDefaultWhenTheVectorModuleIsPresent() {
        assertTrue(((CpuBackend) ONE_THREAD).vectorized(), "surefire runs with --add-modules jdk.incubator.vector, "
                + "so the default backend must use the SIMD kernels");
        assertFalse(((CpuBackend) PLAIN_ONE_THREAD).vectorized(), "the plain flag must force the plain kernels");
    }

    /** Everything on the calling thread. */
    @Nested
    class OneThread extends BackendConformance {
        @Override
        protected Backend backend() {
            return ONE_THREAD;
        }

        @Override
        protected double float32Tolerance() {
            return FLOAT32_TOLERANCE;
        }
    }

    /** Two threads with a grain of 1, so that even the suite's small tensors take the parallel path. */
    @Nested
    class TwoThreadsAlwaysSplit extends BackendConformance {
        @Override
        protected Backend backend() {
            return TWO_THREADS_ALWAYS_SPLIT;
        }

        @Override
        protected double float32Tolerance() {
            return FLOAT32_TOLERANCE;
        }
    }

    /** Three threads, always split: chunk bounds that do not divide the work evenly. */
    @Nested
    class ThreeThreadsAlwaysSplit extends BackendConformance {
        @Override
        protected Backend backend() {
            return THREE_THREADS_ALWAYS_SPLIT;
        }

        @Override
        protected double float32Tolerance() {
            return FLOAT32_TOLERANCE;
        }
    }

    /** The plain-Java kernels, everything on the calling thread. */
    @Nested
    class PlainOneThread extends BackendConformance {
        @Override
        protected Backend backend() {
            return PLAIN_ONE_THREAD;
        }

        @Override
        protected double float32Tolerance() {
            return FLOAT32_TOLERANCE;
        }
    }

    /** The plain-Java kernels on two threads, always split. */
    @Nested
    class PlainTwoThreadsAlwaysSplit extends BackendConformance {
        @Override
        protected Backend backend() {
            return PLAIN_TWO_THREADS_ALWAYS_SPLIT;
        }

        @Override
        protected double float32Tolerance() {
            return FLOAT32_TOLERANCE;
        }
    }

    @Test
    void sameInputTwiceGivesBitIdenticalOutput() {
        for (Backend backend : List.of(new CpuBackend(2), new CpuBackend(2, 1), PLAIN_TWO_THREADS_ALWAYS_SPLIT)) {
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
    void serviceLoaderFindsTheCpuBackend() {
        assertInstanceOf(CpuBackend.class, Backends.get(Device.CPU));
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
