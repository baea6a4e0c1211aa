package antidote.backend.cuda;

import antidote.backend.Backends;
import antidote.check.GradCheck;
import antidote.check.OpSpecs;
import antidote.core.Device;
import antidote.op.Primitive;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gradient-spec table (first and second order, float64, against finite differences) with every input on the
 * CUDA backend: on the emulated GPU by default, on a real one with {@code -Dantidote.spec.device=cuda}
 * (gpu-check.sh). {@code -Dantidote.spec.cases=N} cases per primitive (default 1: the emulated run is slow);
 * {@code -Dantidote.spec.primitives=ADD,CONV2D,...} restricts the run to those primitives (gpu-check.sh --emulated).
 */
class DeviceGradientSpecTest {
    private static final String CASES_PROPERTY = "antidote.spec.cases";
    private static final String PRIMITIVES_PROPERTY = "antidote.spec.primitives";
    private static String previousDevice;

    @BeforeAll
    static void chooseDevice() {
        previousDevice = System.getProperty(OpSpecs.DEVICE_PROPERTY);
        if (previousDevice == null) {
            System.setProperty(OpSpecs.DEVICE_PROPERTY, EmulatedCudaProvider.KIND);
        }
    }

    @AfterAll
    static void restoreDevice() {
        if (previousDevice == null) {
            System.clearProperty(OpSpecs.DEVICE_PROPERTY);
        }
    }

    @Test
    void everyPrimitivesGradientSpecPassesOnTheDevice() {
        Device device = Device.parse(System.getProperty(OpSpecs.DEVICE_PROPERTY));
        try {
            Backends.get(device);
        } catch (RuntimeException e) {
            assumeTrue(false, "skipped: " + e.getMessage());
        }
        int cases = Integer.getInteger(CASES_PROPERTY, 1);
        Map<Primitive, Arbitrary<OpSpecs.Case>> specs = OpSpecs.all();
        SplittableRandom seeds = new SplittableRandom(21);
        String only = System.getProperty(PRIMITIVES_PROPERTY, "");
        List<Primitive> primitives = only.isBlank() ? List.of(Primitive.values())
                : Arrays.stream(only.split(",")).map(name -> Primitive.valueOf(name.trim())).toList();
        for (Primitive p : primitives) {
            for (int k = 0; k < cases; k++) {
                OpSpecs.Case c = specs.get(p).sample();
                GradCheck.checkAll(c + " on " + device, c.f(), c.inputs(), seeds.split(), c.tolerance());
            }
        }
    }
}
