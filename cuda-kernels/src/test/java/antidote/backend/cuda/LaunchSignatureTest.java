package antidote.backend.cuda;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.backend.UnaryOp;
import antidote.core.DType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every Backend method of {@link CudaBackend}, run on a {@link RecordingGpu} without a GPU: each kernel launch
 * it asks for must match the compiled PTX signature of that kernel (argument count and types, struct sizes)
 * and use a legal launch shape, and together the calls must reach every kernel in both dtypes. This covers
 * the host half of every launch; what the kernels then compute needs a GPU (CudaBackendConformanceTest).
 */
class LaunchSignatureTest {
    private static final Pattern ENTRY = Pattern.compile("\\.entry (\\w+)\\(([^)]*)\\)");
    private static final Pattern PARAM =
            Pattern.compile("\\.param (?:\\.align \\d+ )?\\.(\\w+) \\w+?(\\[\\d+])?\\s*(?:,|$)");

    @BeforeEach
    void requirePtx() {
        assumeTrue(Toolkit.find("nvcc", "NVCC").isPresent(),
                "skipped: nvcc is not installed (not in NVCC, PATH or /usr/local/cuda/bin) or NVCC=none, so there is"
                        + " no PTX to compare the launches with");
    }

    @Test
    void everyLaunchMatchesItsPtxSignatureAndEveryKernelIsReached() {
        Map<String, List<String>> signatures = ptxSignatures();
        RecordingGpu gpu = new RecordingGpu();
        Backend backend = CudaBackend.ownKernelsOnly(gpu);
        for (DType dtype : DType.values()) {
            callEveryMethod(backend, dtype);
        }
        List<String> problems = new ArrayList<>();
        Set<String> reached = new TreeSet<>();
        for (RecordingGpu.Launch launch : gpu.launches) {
            String symbol = launch.symbol();
            reached.add(symbol);
            List<String> expected = signatures.get(symbol);
            if (!launch.signature().equals(expected)) {
                problems.add(symbol + " launched with " + launch.signature() + " but the PTX takes " + expected);
            }
            int threads = launch.blockX() * launch.blockY();
            if (threads < 1 || threads > 1024 || launch.gridX() < 1 || launch.gridY() < 1 || launch.gridZ() < 1
                    || launch.gridY() > 65535 || launch.gridZ() > 65535) {
                problems.add(symbol + " launched with an illegal shape: " + launch);
            }
            boolean blockPerOutput = EnumSet.of(Kernel.SUM_BLOCKS, Kernel.ARGMAX_BLOCKS,
                    Kernel.CONV2D_BACKWARD_FILTER).contains(launch.kernel());
            if (blockPerOutput && launch.blockX() != Kernel.REDUCE_BLOCK) {
                problems.add(symbol + " reduces in blocks of REDUCE_BLOCK threads, launched with " + launch.blockX());
            }
            if (launch.kernel() == Kernel.MATMUL && (launch.blockX() != Kernel.TILE || launch.blockY() != Kernel.TILE)) {
                problems.add(symbol + " needs TILE x TILE blocks, launched with " + launch);
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(new TreeSet<>(signatures.keySet()), reached, "kernels in the PTX that no Backend call reached");
    }

    @Test
    void emptyTensorsLaunchNothing() {
        RecordingGpu gpu = new RecordingGpu();
        Backend backend = CudaBackend.ownKernelsOnly(gpu);
        Storage empty = backend.fromArray(new float[0]);
        backend.unary(UnaryOp.EXP, empty, 0);
        backend.binary(BinaryOp.ADD, empty, new int[]{0}, empty, new int[]{0}, new int[]{0});
        backend.take(empty, new int[0]);
        backend.scatterAdd(empty, new int[0], 0);
        backend.matmul(empty, empty, 0, 3, 4, 5);
        backend.argMax(empty, new int[]{0, 3}, new boolean[]{false, true});
        assertEquals(List.of(), gpu.launches);
    }

    /** Calls every Backend method with shapes that take each kernel path (serial and block sums included). */
    private static void callEveryMethod(Backend backend, DType dtype) {
        Storage x = upload(backend, dtype, 2 * 3 * 5 * 7);
        Storage y = upload(backend, dtype, 2 * 3 * 5 * 7);
        int[] shape = {2, 3, 5, 7};
        backend.toFloatArray(x);
        backend.toDoubleArray(x);
        backend.full(dtype, 10, 1.5);
        backend.cast(x, DType.FLOAT32);
        backend.cast(x, DType.FLOAT64);
        for (UnaryOp op : UnaryOp.values()) {
            backend.unary(op, x, 2);
        }
        for (BinaryOp op : BinaryOp.values()) {
            backend.binary(op, x, shape, upload(backend, dtype, 7), new int[]{7}, shape);
        }
        backend.where(x, shape, y, shape, upload(backend, dtype, 1), new int[]{}, shape);
        backend.sum(x, shape, new boolean[]{true, false, true, false});
        backend.sum(x, shape, new boolean[]{false, true, false, true});
        backend.sum(x, shape, new boolean[]{false, false, false, false});
        backend.sum(x, shape, new boolean[]{true, true, true, true});
        backend.argMax(x, shape, new boolean[]{true, true, true, true});
        backend.argMax(x, shape, new boolean[]{false, false, true, false});
        backend.permute(x, shape, new int[]{3, 1, 0, 2});
        backend.expand(upload(backend, dtype, 3), new int[]{1, 3, 1, 1}, shape);
        backend.slice(x, shape, new int[]{1, 1, 2, 3}, new int[]{1, 2, 3, 4});
        backend.pad(x, shape, new int[]{0, 1, 2, 0}, new int[]{2, 5, 9, 8}, -1);
        backend.concat(List.of(x, y), List.of(shape, shape), 2, new int[]{2, 3, 10, 7});
        backend.take(x, new int[]{5, 3, 5, 0});
        backend.scatterAdd(upload(backend, dtype, 4), new int[]{2, 2, 0, 1}, 3);
        backend.matmul(upload(backend, dtype, 3 * 4 * 5), upload(backend, dtype, 3 * 5 * 6), 3, 4, 5, 6);
        int[] xShape = {2, 3, 9, 8};
        int[] wShape = {4, 3, 3, 2};
        ConvGeometry g = new ConvGeometry(2, 1, 1, 0);
        Storage image = upload(backend, dtype, 2 * 3 * 9 * 8);
        Storage filter = upload(backend, dtype, 4 * 3 * 3 * 2);
        int[] gradShape = {2, 4, g.outH(9, 3), g.outW(8, 2)};
        Storage grad = upload(backend, dtype, 2 * 4 * gradShape[2] * gradShape[3]);
        backend.conv2d(image, xShape, filter, wShape, g);
        backend.conv2dBackwardInput(grad, gradShape, filter, wShape, xShape, g);
        backend.conv2dBackwardFilter(image, xShape, grad, gradShape, wShape, g);
        backend.maxPool2dArgMax(image, xShape, 2, 2, ConvGeometry.of(2, 1));
        backend.logSoftmax(x, 6, 5, 7);
    }

    private static Storage upload(Backend backend, DType dtype, int size) {
        return dtype == DType.FLOAT32 ? backend.fromArray(new float[size]) : backend.fromArray(new double[size]);
    }

    /** Entry name to parameter types, e.g. binary_f32 to [u32, u64, u64, u64, u32, b8[136]]. */
    private static Map<String, List<String>> ptxSignatures() {
        Map<String, List<String>> signatures = new HashMap<>();
        for (String module : Kernel.modules()) {
            byte[] bytes = Ptx.read(module).orElseThrow(() -> new AssertionError(module + ".ptx is missing"));
            Matcher entry = ENTRY.matcher(new String(bytes, StandardCharsets.US_ASCII));
            while (entry.find()) {
                List<String> types = new ArrayList<>();
                for (String line : entry.group(2).split("\n")) {
                    Matcher param = PARAM.matcher(line.trim());
                    if (param.find()) {
                        types.add(param.group(1) + (param.group(2) == null ? "" : param.group(2)));
                    }
                }
                signatures.put(entry.group(1), types);
            }
        }
        assertTrue(signatures.size() >= Kernel.values().length * 2, "too few entries parsed: " + signatures.keySet());
        return signatures;
    }
}
