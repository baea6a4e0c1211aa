package antidote.backend.cpu;

import antidote.backend.Backend;
import antidote.backend.Backends;
import antidote.check.BackendConformance;
import antidote.check.Repeatability;
import antidote.core.Device;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

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
            Repeatability.assertKernelsRepeatable(backend);
        }
    }

    @Test
    void serviceLoaderFindsTheCpuBackend() {
        assertInstanceOf(CpuBackend.class, Backends.get(Device.CPU));
    }


}
