package antidote.backend.cuda;

import antidote.backend.Backend;
import antidote.backend.cpu.CpuBackend;
import antidote.op.Primitive;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enumerates the op registry: every primitive names the {@link Backend} methods its forward pass calls (rules call
 * only other primitives), and on each backend each of those is either a kernel of that backend (it overrides the
 * method) or the composition {@link Backend}'s default method makes of other kernels. The conformance suite runs every method on
 * each backend ({@link EmulatedCudaBackendTest} checks that it calls all of them), so both kinds are tested. The
 * table is printed, to show which primitives still run composed on the GPU.
 */
class PrimitiveKernelTableTest {
    /** Backend methods used outside the registry: host transfer, creation, and the index kernels of the Tensor API. */
    private static final Set<String> TENSOR_API = Set.of("fromArray", "toFloatArray", "toDoubleArray", "full",
            "argMax", "maxPool2dArgMax");

    private static Map<Primitive, List<String>> methodsOfEachPrimitive() {
        Map<Primitive, List<String>> m = new EnumMap<>(Primitive.class);
        for (Primitive p : List.of(Primitive.NEG, Primitive.EXP, Primitive.LOG, Primitive.SQRT, Primitive.ABS,
                Primitive.POW, Primitive.RELU, Primitive.ELU, Primitive.TANH, Primitive.SIGMOID)) {
            m.put(p, List.of("unary"));
        }
        m.put(Primitive.ELU_BACKWARD, List.of("eluBackward"));
        for (Primitive p : List.of(Primitive.ADD, Primitive.SUB, Primitive.MUL, Primitive.DIV, Primitive.MAXIMUM,
                Primitive.MINIMUM, Primitive.COMPARE)) {
            m.put(p, List.of("binary"));
        }
        m.put(Primitive.WHERE, List.of("where"));
        m.put(Primitive.TAKE, List.of("take"));
        m.put(Primitive.SCATTER_ADD, List.of("scatterAdd"));
        m.put(Primitive.SUM, List.of("sum"));
        m.put(Primitive.RESHAPE, List.of()); // shares its input's storage: no kernel at all
        m.put(Primitive.PERMUTE, List.of("permute"));
        m.put(Primitive.EXPAND, List.of("expand"));
        m.put(Primitive.SLICE, List.of("slice"));
        m.put(Primitive.PAD, List.of("pad"));
        m.put(Primitive.CONCAT, List.of("concat"));
        m.put(Primitive.CAST, List.of("cast"));
        m.put(Primitive.MATMUL, List.of("matmul"));
        m.put(Primitive.CONV2D, List.of("conv2d", "conv2dBias"));
        m.put(Primitive.CONV2D_BACKWARD_INPUT, List.of("conv2dBackwardInput"));
        m.put(Primitive.CONV2D_BACKWARD_FILTER, List.of("conv2dBackwardFilter"));
        m.put(Primitive.LOG_SOFTMAX, List.of("logSoftmax"));
        m.put(Primitive.CHANNEL_MOMENTS, List.of("channelMoments"));
        m.put(Primitive.CHANNEL_AFFINE, List.of("channelAffine"));
        m.put(Primitive.CHANNEL_DOT, List.of("channelDot"));
        m.put(Primitive.BATCH_NORM, List.of("batchNorm"));
        m.put(Primitive.BATCH_NORM_GRAD_SUMS, List.of("batchNormGradSums"));
        m.put(Primitive.BATCH_NORM_BACKWARD, List.of("batchNormBackward"));
        m.put(Primitive.BATCH_NORM_SUMS, List.of("batchNormSums"));
        m.put(Primitive.BATCH_NORM_COMBINE, List.of("batchNormCombine"));
        return m;
    }

    @Test
    void everyPrimitiveOfTheRegistryNamesItsBackendMethods() {
        Set<Primitive> missing = EnumSet.allOf(Primitive.class);
        missing.removeAll(methodsOfEachPrimitive().keySet());
        assertEquals(Set.of(), missing, "primitives missing from the kernel table");
    }

    @Test
    void everyBackendMethodBelongsToAPrimitiveOrTheTensorApi() {
        Set<String> named = new TreeSet<>(TENSOR_API);
        methodsOfEachPrimitive().values().forEach(named::addAll);
        Set<String> declared = new TreeSet<>();
        for (Method m : Backend.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && !m.getName().equals("device")) {
                declared.add(m.getName());
            }
        }
        assertEquals(declared, named, "the table must name exactly the methods Backend has");
    }

    @Test
    void onEachBackendEveryPrimitiveRunsAKernelOrBackendsComposition() {
        for (Class<? extends Backend> backend : List.of(CudaBackend.class, CpuBackend.class)) {
            List<String> composed = new ArrayList<>();
            for (var entry : methodsOfEachPrimitive().entrySet()) {
                for (String name : entry.getValue()) {
                    for (Method m : overloads(name)) {
                        boolean kernel = overrides(backend, m);
                        assertTrue(kernel || m.isDefault(), backend.getSimpleName() + " has no kernel for " + name
                                + " (primitive " + entry.getKey() + ") and Backend has no composition of it");
                        if (!kernel) {
                            composed.add(entry.getKey() + ":" + name + "/" + m.getParameterCount());
                        }
                    }
                }
            }
            System.out.println("[cuda-kernels] " + backend.getSimpleName() + " runs composed (Backend's default): "
                    + (composed.isEmpty() ? "nothing" : String.join(", ", composed)));
        }
    }

    @Test
    void theCudaBackendComposesExactlyTheFusedBatchNormAndEluPieces() {
        // Guards the table against a silent change: a new CUDA kernel (or a lost one) must update this list.
        Set<String> composed = new TreeSet<>();
        for (Method m : Backend.class.getMethods()) {
            if (m.isDefault() && !overrides(CudaBackend.class, m)) {
                composed.add(m.getName());
            }
        }
        assertEquals(new TreeSet<>(List.of("batchNorm", "batchNormBackward", "batchNormCombine", "batchNormGradSums",
                "batchNormSums", "channelAffine", "channelDot", "channelMoments", "conv2dBias", "eluBackward")),
                composed);
    }

    private static List<Method> overloads(String name) {
        List<Method> out = new ArrayList<>();
        for (Method m : Backend.class.getMethods()) {
            if (m.getName().equals(name)) {
                out.add(m);
            }
        }
        assertTrue(!out.isEmpty(), "Backend has no method " + name);
        return out;
    }

    private static boolean overrides(Class<?> backend, Method m) {
        try {
            backend.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
