package antidote.backend.cpu;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.backend.UnaryOp;
import antidote.check.Repeatability;
import antidote.core.DType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every kernel that adds many terms gives the same bits on 1, 2 and 3 threads, split at every size (grain 1)
 * and at the default grain, on the SIMD and the plain-Java kernels: the promise in {@link CpuBackend}'s header.
 * Shapes reach the GEMM's KC blocking, partial mr/nr tiles, both filter-gradient paths, batches smaller than
 * the thread count and batches of several images per filter-gradient chunk.
 */
class ThreadCountDeterminismTest {
    private static final int[] THREADS = {2, 3};

    @Test
    void simdKernelsGiveTheSameBitsOnAnyThreadCount() {
        assertSameBitsAcrossThreadCounts(false);
    }

    @Test
    void plainKernelsGiveTheSameBitsOnAnyThreadCount() {
        assertSameBitsAcrossThreadCounts(true);
    }

    private static void assertSameBitsAcrossThreadCounts(boolean plain) {
        Map<String, long[]> expected = run(new CpuBackend(1, CpuBackend.DEFAULT_GRAIN, plain));
        List<String> differing = new ArrayList<>();
        for (int threads : THREADS) {
            for (long grain : new long[]{1, CpuBackend.DEFAULT_GRAIN}) {
                CpuBackend backend = new CpuBackend(threads, grain, plain);
                Map<String, long[]> actual = run(backend);
                expected.forEach((name, bits) -> {
                    if (!Arrays.equals(bits, actual.get(name))) {
                        differing.add(name + " on " + backend + " with grain " + grain);
                    }
                });
            }
        }
        assertEquals(List.of(), differing, "kernels whose bits differ from one thread's");
    }

    /** Each kernel's result by name, as raw bits. */
    private static Map<String, long[]> run(Backend be) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (DType dtype : DType.values()) {
            for (Map.Entry<String, Function<Backend, Storage>> kernel : kernels(dtype).entrySet()) {
                out.put(kernel.getKey() + " " + dtype, bits(be, kernel.getValue().apply(be)));
            }
        }
        for (Map.Entry<String, Function<Backend, Storage>> kernel : fusedKernels().entrySet()) {
            out.put(kernel.getKey(), bits(be, kernel.getValue().apply(be)));
        }
        out.put("argMax", ints(be.argMax(upload(be, DType.FLOAT32, 5, 6 * 70 * 90), new int[]{6, 70, 90},
                new boolean[]{false, true, true})));
        return out;
    }

    /** Kernels with a float32 and a float64 path. */
    private static Map<String, Function<Backend, Storage>> kernels(DType t) {
        Map<String, Function<Backend, Storage>> k = new LinkedHashMap<>();
        k.put("sum inner", be -> be.sum(upload(be, t, 1, 6 * 70 * 90), new int[]{6, 70, 90},
                new boolean[]{false, false, true}));
        k.put("sum outer", be -> be.sum(upload(be, t, 1, 6 * 70 * 90), new int[]{6, 70, 90},
                new boolean[]{true, false, false}));
        k.put("sum all", be -> be.sum(upload(be, t, 1, 6 * 70 * 90), new int[]{6, 70, 90},
                new boolean[]{true, true, true}));
        // Batch below and above the thread count; rows and columns past one KC block and off the tile sizes.
        k.put("matmul one", be -> be.matmul(upload(be, t, 2, 37 * 700), upload(be, t, 3, 700 * 530), 1, 37, 700,
                530));
        k.put("matmul tall", be -> be.matmul(upload(be, t, 2, 301 * 70), upload(be, t, 3, 70 * 45), 1, 301, 70, 45));
        k.put("matmul batch", be -> be.matmul(upload(be, t, 2, 5 * 19 * 300), upload(be, t, 3, 5 * 300 * 23), 5, 19,
                300, 23));
        for (ConvGeometry g : List.of(ConvGeometry.of(1, 1), ConvGeometry.of(2, 1))) {
            // 32 channels fill whole panels (the tap-major filter gradient); 3 do not (the im2col one); 40 images
            // of 4x4 outputs or fewer span several of BatchColumnsConv's groups.
            for (int[] xShape : List.of(new int[]{13, 32, 6, 7}, new int[]{4, 3, 11, 10}, new int[]{40, 8, 4, 4})) {
                int[] wShape = {19, xShape[1], 3, 3};
                int[] gradShape = {xShape[0], 19, g.outH(xShape[2], 3), g.outW(xShape[3], 3)};
                String name = " " + g + " C=" + xShape[1];
                k.put("conv2d" + name, be -> be.conv2dBias(upload(be, t, 4, size(xShape)), xShape,
                        upload(be, t, 5, size(wShape)), wShape, upload(be, t, 6, 19), g));
                k.put("conv2dBackwardInput" + name, be -> be.conv2dBackwardInput(upload(be, t, 7, size(gradShape)),
                        gradShape, upload(be, t, 5, size(wShape)), wShape, xShape, g));
                k.put("conv2dBackwardFilter" + name, be -> be.conv2dBackwardFilter(upload(be, t, 4, size(xShape)),
                        xShape, upload(be, t, 7, size(gradShape)), gradShape, wShape, g));
            }
        }
        k.put("logSoftmax", be -> be.logSoftmax(upload(be, t, 8, 7 * 300 * 11), 7, 300, 11));
        k.put("scatterAdd", be -> be.scatterAdd(upload(be, t, 9, 20_000), new SplittableRandom(10).ints(20_000, 0, 300)
                .toArray(), 300));
        k.put("elu", be -> be.unary(UnaryOp.ELU, upload(be, t, 11, 10_001), 1.0));
        k.put("exp", be -> be.unary(UnaryOp.EXP, upload(be, t, 11, 10_001), 0));
        k.put("broadcast mul", be -> be.binary(BinaryOp.MUL, upload(be, t, 12, 6 * 70 * 90), new int[]{6, 70, 90},
                upload(be, t, 13, 90), new int[]{1, 1, 90}, new int[]{6, 70, 90}));
        return k;
    }

    /** The fused float32 kernels of batch normalisation and ELU. */
    private static Map<String, Function<Backend, Storage>> fusedKernels() {
        DType t = DType.FLOAT32;
        int[] shape = {6, 5, 13, 11};
        int n = size(shape);
        Map<String, Function<Backend, Storage>> k = new LinkedHashMap<>();
        k.put("channelMoments", be -> be.channelMoments(upload(be, t, 20, n), shape));
        k.put("batchNorm", be -> be.batchNorm(upload(be, t, 20, n), shape, be.channelMoments(upload(be, t, 20, n),
                shape), upload(be, t, 21, 5), upload(be, t, 22, 5), 1e-5));
        k.put("batchNormGradSums", be -> be.batchNormGradSums(upload(be, t, 20, n), shape,
                be.channelMoments(upload(be, t, 20, n), shape), upload(be, t, 23, n)));
        k.put("batchNormBackward", be -> {
            Storage x = upload(be, t, 20, n);
            Storage moments = be.channelMoments(x, shape);
            Storage grad = upload(be, t, 23, n);
            return be.batchNormBackward(x, shape, moments, upload(be, t, 21, 5), grad,
                    be.batchNormGradSums(x, shape, moments, grad), 1e-5);
        });
        k.put("batchNormSums", be -> be.batchNormSums(upload(be, t, 20, n), shape,
                be.channelMoments(upload(be, t, 20, n), shape), upload(be, t, 23, n), upload(be, t, 24, n)));
        k.put("batchNormCombine", be -> be.batchNormCombine(upload(be, t, 20, n), shape, upload(be, t, 23, n),
                upload(be, t, 24, n), upload(be, t, 25, 25)));
        k.put("channelAffine", be -> be.channelAffine(upload(be, t, 20, n), shape, upload(be, t, 21, 5),
                upload(be, t, 22, 5)));
        k.put("channelDot", be -> be.channelDot(upload(be, t, 20, n), upload(be, t, 23, n), shape));
        k.put("eluBackward", be -> be.eluBackward(be.unary(UnaryOp.ELU, upload(be, t, 11, n), 1.0),
                upload(be, t, 23, n), 1.0));
        return k;
    }

    private static Storage upload(Backend backend, DType dtype, long seed, int size) {
        return Repeatability.upload(backend, dtype, new SplittableRandom(seed), size);
    }

    /** The result's raw bits, one entry per element. */
    private static long[] bits(Backend backend, Storage s) {
        if (s.dtype() == DType.FLOAT32) {
            float[] f = backend.toFloatArray(s);
            long[] out = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = Float.floatToRawIntBits(f[i]);
            }
            return out;
        }
        double[] d = backend.toDoubleArray(s);
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Double.doubleToRawLongBits(d[i]);
        }
        return out;
    }

    private static long[] ints(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
