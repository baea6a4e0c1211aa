package antidote.check;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.backend.UnaryOp;
import antidote.core.DType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The conformance suite every backend passes: each kernel of {@link Backend}, in float32 and float64, against
 * {@link ReferenceBackend} on seeded random inputs and awkward shapes (size 1, primes, non-square, broadcasting
 * across ranks, odd offsets, repeated indices, ties, large magnitudes). A backend's test extends this class and
 * supplies {@link #backend()} and {@link #float32Tolerance()}.
 *
 * <p>Tolerances: a value of a kernel that sums {@code L} terms passes when
 * {@code |actual − expected| ≤ tol·(|expected| + L)} (inputs are O(1), so the absolute part grows with the
 * number of rounding steps), with {@code tol} = 1e-12 in float64 and {@link #float32Tolerance()} in float32.
 * Movement kernels must reproduce the reference bit for bit and index kernels exactly; every kernel must leave
 * its inputs unchanged.
 */
public abstract class BackendConformance {
    private static final double FLOAT64_TOLERANCE = 1e-12;
    private static final long SEED = 0x5EED_A771_D07EL;

    private final ReferenceBackend reference = new ReferenceBackend();
    private Backend tested;

    /** The backend under test; called once per test. */
    protected abstract Backend backend();

    /** Relative float32 tolerance (e.g. 1e-5); see the class comment for how it scales with sums. */
    protected abstract double float32Tolerance();

    @BeforeEach
    void createBackend() {
        tested = backend();
    }

    // ---- host transfer and creation

    @Test
    void fromArrayRoundTripsThroughBothHostTypes() {
        SplittableRandom random = random("fromArray");
        for (int size : new int[]{0, 1, 7, 1031}) {
            double[] values = uniform(random, size, 1e3);
            float[] floats = toFloats(values);
            Storage f = tested.fromArray(floats);
            Storage d = tested.fromArray(values);
            assertEquals(DType.FLOAT32, f.dtype(), "fromArray(float[]) dtype");
            assertEquals(DType.FLOAT64, d.dtype(), "fromArray(double[]) dtype");
            assertEquals(size, f.size(), "fromArray(float[]) size");
            assertEquals(size, d.size(), "fromArray(double[]) size");
            assertArrayEquals(floats, tested.toFloatArray(f), "float32 -> float[]");
            assertArrayEquals(reference.toDoubleArray(reference.fromArray(floats)), tested.toDoubleArray(f),
                    "float32 -> double[] widens exactly");
            assertArrayEquals(values, tested.toDoubleArray(d), "float64 -> double[]");
            assertArrayEquals(reference.toFloatArray(reference.fromArray(values)), tested.toFloatArray(d),
                    "float64 -> float[] rounds to nearest");
        }
    }

    @Test
    void fromArrayCopiesTheCallersArray() {
        float[] floats = {1, 2, 3};
        double[] doubles = {1, 2, 3};
        Storage f = tested.fromArray(floats);
        Storage d = tested.fromArray(doubles);
        floats[0] = 9;
        doubles[0] = 9;
        assertArrayEquals(new float[]{1, 2, 3}, tested.toFloatArray(f), "float32 storage must not alias its source");
        assertArrayEquals(new double[]{1, 2, 3}, tested.toDoubleArray(d), "float64 storage must not alias its source");
    }

    @Test
    void fullFillsEveryElement() {
        for (DType dtype : DType.values()) {
            for (int size : new int[]{0, 1, 7, 1031}) {
                for (double value : new double[]{0, 0.1, -3.5, 1e30, Double.NEGATIVE_INFINITY, Double.NaN}) {
                    String what = "full(" + dtype + ", " + size + ", " + value + ")";
                    assertExact(what, reference.full(dtype, size, value), tested.full(dtype, size, value));
                }
            }
        }
    }

    @Test
    void castRoundsToTheTargetDtype() {
        SplittableRandom random = random("cast");
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                for (int size : new int[]{1, 7, 1031}) {
                    Input x = input(from, new int[]{size}, uniform(random, size, 1e3));
                    String what = "cast " + from + " -> " + to + " of " + size;
                    assertExact(what, reference.cast(x.expected, to), tested.cast(x.actual, to));
                    unchanged(what, x);
                }
            }
        }
    }

    // ---- elementwise

    @Test
    void unaryFollowsTheScalarDefinition() {
        SplittableRandom random = random("unary");
        for (DType dtype : DType.values()) {
            for (UnaryOp op : UnaryOp.values()) {
                double[] params = switch (op) {
                    case POW -> new double[]{2, 3, 0.5, -1.5, 0};
                    case ELU -> new double[]{1, 0.3};
                    default -> new double[]{0};
                };
                for (double param : params) {
                    for (int size : new int[]{1, 7, 221, 1031}) {
                        Input x = input(dtype, new int[]{size}, unaryValues(random, size));
                        String what = "unary " + op + "(param " + param + ") " + dtype + " size " + size;
                        assertClose(what, reference.unary(op, x.expected, param), tested.unary(op, x.actual, param), 1);
                        unchanged(what, x);
                    }
                }
            }
        }
    }

    @Test
    void binaryBroadcastsAcrossSizeOneDimsAndRanks() {
        int[][][] cases = {
                {{}, {}}, {{1}, {1}}, {{7}, {7}}, {{13, 17}, {13, 17}}, {{7, 13}, {13}}, {{13}, {7, 13}},
                {{7, 1}, {1, 13}}, {{2, 1, 5}, {3, 1}}, {{}, {4, 3}}, {{4, 3}, {}}, {{3, 1, 4, 1}, {5, 1, 6}},
                {{1, 1, 1}, {2, 3, 4}}, {{1031}, {1}}, {{2, 3, 1}, {2, 3, 4}}, {{1, 3, 1, 5}, {2, 1, 7, 1}},
        };
        SplittableRandom random = random("binary");
        for (DType dtype : DType.values()) {
            for (BinaryOp op : BinaryOp.values()) {
                for (int[][] shapes : cases) {
                    int[] outShape = broadcast(shapes);
                    // Small integers make EQ, LE, MAX... meet ties; the other half are continuous.
                    boolean ties = random.nextBoolean();
                    Input a = input(dtype, shapes[0], ties ? discrete(random, size(shapes[0]), -2, 2)
                            : uniform(random, size(shapes[0]), 2));
                    Input b = input(dtype, shapes[1], ties ? discrete(random, size(shapes[1]), -2, 2)
                            : uniform(random, size(shapes[1]), 2));
                    String what = "binary " + op + " " + dtype + " " + Arrays.toString(shapes[0]) + " with "
                            + Arrays.toString(shapes[1]) + " -> " + Arrays.toString(outShape);
                    assertClose(what, reference.binary(op, a.expected, a.shape, b.expected, b.shape, outShape),
                            tested.binary(op, a.actual, a.shape, b.actual, b.shape, outShape), 1);
                    unchanged(what, a, b);
                }
            }
        }
    }

    @Test
    void binaryFollowsIeeeForNaNInfinityAndZero() {
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1, -2.5};
        int n = specials.length;
        double[] left = new double[n * n];
        double[] right = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                left[i * n + j] = specials[i];
                right[i * n + j] = specials[j];
            }
        }
        int[] shape = {n * n};
        for (DType dtype : DType.values()) {
            Input a = input(dtype, shape, left);
            Input b = input(dtype, shape, right);
            for (BinaryOp op : BinaryOp.values()) {
                String what = "binary " + op + " " + dtype + " on every pair of NaN, ±inf, ±0, 1, -2.5";
                assertClose(what, reference.binary(op, a.expected, shape, b.expected, shape, shape),
                        tested.binary(op, a.actual, shape, b.actual, shape, shape), 1);
            }
        }
    }

    @Test
    void whereBroadcastsAllThreeInputs() {
        int[][][] cases = {
                {{5}, {5}, {5}}, {{7, 1}, {1, 13}, {7, 13}}, {{}, {3, 4}, {4}}, {{2, 1, 5}, {3, 1}, {1}},
                {{1}, {2, 3}, {}}, {{2, 3, 4}, {}, {}}, {{3, 1, 1}, {1, 5, 1}, {1, 1, 7}},
                // Rows long enough for SIMD, with one side a scalar (where's VJP) and with a tail.
                {{1031}, {1031}, {}}, {{2, 517}, {}, {517}}, {{1031}, {1031}, {1031}},
        };
        // Anything that compares != 0 picks a: NaN does, -0.0 does not.
        double[] conditions = {0, 1, -0.5, 2, -0.0, Double.NaN};
        SplittableRandom random = random("where");
        for (DType dtype : DType.values()) {
            for (int[][] shapes : cases) {
                int[] outShape = broadcast(shapes);
                double[] c = new double[size(shapes[0])];
                for (int i = 0; i < c.length; i++) {
                    c[i] = conditions[random.nextInt(conditions.length)];
                }
                Input cond = input(dtype, shapes[0], c);
                Input a = input(dtype, shapes[1], uniform(random, size(shapes[1]), 1));
                Input b = input(dtype, shapes[2], uniform(random, size(shapes[2]), 1));
                String what = "where " + dtype + " " + Arrays.deepToString(shapes) + " -> " + Arrays.toString(outShape);
                assertExact(what, reference.where(cond.expected, cond.shape, a.expected, a.shape, b.expected, b.shape,
                        outShape), tested.where(cond.actual, cond.shape, a.actual, a.shape, b.actual, b.shape, outShape));
                unchanged(what, cond, a, b);
            }
        }
    }

    // ---- reductions

    private static final int[][] REDUCE_SHAPES = {
            {}, {1}, {7}, {1031}, {13, 17}, {3, 1, 5}, {1, 7, 1, 3}, {2, 3, 4, 5},
    };

    @Test
    void sumOverAxisSubsets() {
        SplittableRandom random = random("sum");
        for (DType dtype : DType.values()) {
            for (int[] shape : REDUCE_SHAPES) {
                for (boolean[] axes : axisSubsets(shape.length)) {
                    Input x = input(dtype, shape, uniform(random, size(shape), 1));
                    String what = "sum " + dtype + " " + Arrays.toString(shape) + " over " + Arrays.toString(axes);
                    assertClose(what, reference.sum(x.expected, shape, axes), tested.sum(x.actual, shape, axes),
                            reducedLength(shape, axes));
                    unchanged(what, x);
                }
            }
        }
    }

    @Test
    void argMaxTakesTheFirstMaximumAndNaNWins() {
        SplittableRandom random = random("argMax");
        for (DType dtype : DType.values()) {
            for (int[] shape : REDUCE_SHAPES) {
                for (boolean[] axes : axisSubsets(shape.length)) {
                    for (String kind : new String[]{"ties", "continuous", "NaN", "-inf"}) {
                        double[] values = kind.equals("continuous") ? uniform(random, size(shape), 1)
                                : discrete(random, size(shape), -2, 2);
                        for (int i = 0; i < values.length; i++) {
                            if (kind.equals("NaN") && random.nextInt(5) == 0) {
                                values[i] = Double.NaN;
                            }
                            if (kind.equals("-inf")) {
                                values[i] = Double.NEGATIVE_INFINITY;
                            }
                        }
                        Input x = input(dtype, shape, values);
                        String what = "argMax (" + kind + ") " + dtype + " " + Arrays.toString(shape) + " over "
                                + Arrays.toString(axes);
                        assertArrayEquals(reference.argMax(x.expected, shape, axes), tested.argMax(x.actual, shape, axes),
                                what);
                        unchanged(what, x);
                    }
                }
            }
        }
    }

    // ---- movement

    @Test
    void permuteEveryAxisOrder() {
        int[][] shapes = {{7}, {13, 17}, {3, 1, 5}, {2, 3, 4, 5}, {1, 7, 1, 3}, {5, 2, 3, 1, 2}};
        SplittableRandom random = random("permute");
        for (DType dtype : DType.values()) {
            for (int[] shape : shapes) {
                List<int[]> perms = shape.length <= 4 ? allPermutations(shape.length) : randomPermutations(random,
                        shape.length, 10);
                for (int[] perm : perms) {
                    Input x = input(dtype, shape, uniform(random, size(shape), 1));
                    String what = "permute " + dtype + " " + Arrays.toString(shape) + " by " + Arrays.toString(perm);
                    assertExact(what, reference.permute(x.expected, shape, perm), tested.permute(x.actual, shape, perm));
                    unchanged(what, x);
                }
            }
        }
    }

    @Test
    void expandStretchesSizeOneDims() {
        int[][][] cases = {
                {{}, {}}, {{1}, {1}}, {{1}, {7}}, {{3}, {3}}, {{7, 1}, {7, 13}}, {{1, 13}, {7, 13}}, {{1, 1}, {3, 5}},
                {{2, 1, 3, 1}, {2, 4, 3, 5}}, {{1, 1, 1}, {2, 3, 4}},
        };
        SplittableRandom random = random("expand");
        for (DType dtype : DType.values()) {
            for (int[][] c : cases) {
                Input x = input(dtype, c[0], uniform(random, size(c[0]), 1));
                String what = "expand " + dtype + " " + Arrays.toString(c[0]) + " -> " + Arrays.toString(c[1]);
                assertExact(what, reference.expand(x.expected, c[0], c[1]), tested.expand(x.actual, c[0], c[1]));
                unchanged(what, x);
            }
        }
    }

    @Test
    void sliceBoxesAtOddOffsets() {
        int[][] shapes = {{1}, {13}, {7, 13}, {3, 5, 7}, {2, 3, 4, 5}};
        SplittableRandom random = random("slice");
        for (DType dtype : DType.values()) {
            for (int[] shape : shapes) {
                for (int trial = 0; trial < 8; trial++) {
                    int[] start = new int[shape.length];
                    int[] outShape = new int[shape.length];
                    for (int a = 0; a < shape.length; a++) {
                        outShape[a] = 1 + random.nextInt(shape[a]);
                        start[a] = random.nextInt(shape[a] - outShape[a] + 1);
                    }
                    Input x = input(dtype, shape, uniform(random, size(shape), 1));
                    String what = "slice " + dtype + " " + Arrays.toString(shape) + " at " + Arrays.toString(start)
                            + " extent " + Arrays.toString(outShape);
                    assertExact(what, reference.slice(x.expected, shape, start, outShape),
                            tested.slice(x.actual, shape, start, outShape));
                    unchanged(what, x);
                }
            }
        }
    }

    @Test
    void padPlacesAtOddOffsetsWithAnyValue() {
        int[][] shapes = {{1}, {7}, {3, 5}, {2, 3, 4}, {1, 3, 5, 5}};
        double[] values = {0, -1.5, Double.NEGATIVE_INFINITY};
        SplittableRandom random = random("pad");
        for (DType dtype : DType.values()) {
            for (int[] shape : shapes) {
                for (double value : values) {
                    for (int trial = 0; trial < 3; trial++) {
                        int[] before = new int[shape.length];
                        int[] outShape = new int[shape.length];
                        for (int a = 0; a < shape.length; a++) {
                            before[a] = random.nextInt(3);
                            outShape[a] = before[a] + shape[a] + random.nextInt(3);
                        }
                        Input x = input(dtype, shape, uniform(random, size(shape), 1));
                        String what = "pad " + dtype + " " + Arrays.toString(shape) + " at " + Arrays.toString(before)
                                + " in " + Arrays.toString(outShape) + " with " + value;
                        assertExact(what, reference.pad(x.expected, shape, before, outShape, value),
                                tested.pad(x.actual, shape, before, outShape, value));
                        unchanged(what, x);
                    }
                }
            }
        }
    }

    @Test
    void concatThreePartsAlongEveryAxis() {
        int[][] shapes = {{5}, {2, 3}, {2, 3, 4}, {2, 1, 3, 2}};
        int[] extents = {1, 2, 3, 5};
        SplittableRandom random = random("concat");
        for (DType dtype : DType.values()) {
            for (int[] shape : shapes) {
                for (int axis = 0; axis < shape.length; axis++) {
                    List<Input> parts = new ArrayList<>();
                    int[] outShape = shape.clone();
                    outShape[axis] = 0;
                    for (int p = 0; p < 3; p++) {
                        int[] partShape = shape.clone();
                        partShape[axis] = extents[random.nextInt(extents.length)];
                        outShape[axis] += partShape[axis];
                        parts.add(input(dtype, partShape, uniform(random, size(partShape), 1)));
                    }
                    List<int[]> partShapes = parts.stream().map(in -> in.shape).toList();
                    String what = "concat " + dtype + " " + partShapes.stream().map(Arrays::toString).toList()
                            + " along " + axis;
                    assertExact(what, reference.concat(parts.stream().map(in -> in.expected).toList(), partShapes, axis,
                            outShape), tested.concat(parts.stream().map(in -> in.actual).toList(), partShapes, axis,
                            outShape));
                    unchanged(what, parts.toArray(new Input[0]));
                }
            }
        }
    }

    @Test
    void takeWithRepeatedIndices() {
        SplittableRandom random = random("take");
        for (DType dtype : DType.values()) {
            for (int size : new int[]{1, 7, 101}) {
                for (int count : new int[]{1, 13, 300}) {
                    Input x = input(dtype, new int[]{size}, uniform(random, size, 1));
                    int[] index = random.ints(count, 0, size).toArray();
                    String what = "take " + dtype + " " + count + " of " + size;
                    assertExact(what, reference.take(x.expected, index), tested.take(x.actual, index));
                    unchanged(what, x);
                }
            }
        }
    }

    @Test
    void scatterAddSumsRepeatedIndices() {
        SplittableRandom random = random("scatterAdd");
        for (DType dtype : DType.values()) {
            for (int count : new int[]{1, 13, 300, 2000}) {
                for (int outSize : new int[]{1, 7, 50}) {
                    for (boolean oneTarget : new boolean[]{false, true}) {
                        Input src = input(dtype, new int[]{count}, uniform(random, count, 1));
                        int target = random.nextInt(outSize);
                        int[] index = oneTarget ? new int[count] : random.ints(count, 0, outSize).toArray();
                        if (oneTarget) {
                            Arrays.fill(index, target);
                        }
                        String what = "scatterAdd " + dtype + " " + count + " into " + outSize
                                + (oneTarget ? " (all to " + target + ")" : "");
                        assertClose(what, reference.scatterAdd(src.expected, index, outSize),
                                tested.scatterAdd(src.actual, index, outSize), maxMultiplicity(index, outSize));
                        unchanged(what, src);
                    }
                }
            }
        }
    }

    // ---- linear algebra and convolution

    @Test
    void matmulOverBatchesAndOddSizes() {
        int[] dims = {1, 7, 13, 67};
        SplittableRandom random = random("matmul");
        for (DType dtype : DType.values()) {
            for (int batch : new int[]{1, 3}) {
                for (int m : dims) {
                    for (int k : dims) {
                        for (int n : dims) {
                            Input a = input(dtype, new int[]{batch, m, k}, uniform(random, batch * m * k, 1));
                            Input b = input(dtype, new int[]{batch, k, n}, uniform(random, batch * k * n, 1));
                            String what = "matmul " + dtype + " batch " + batch + " m " + m + " k " + k + " n " + n;
                            assertClose(what, reference.matmul(a.expected, b.expected, batch, m, k, n),
                                    tested.matmul(a.actual, b.actual, batch, m, k, n), k);
                            unchanged(what, a, b);
                        }
                    }
                }
            }
        }
    }

    /** One convolution problem: input and filter shapes and the geometry. */
    private record Conv(int[] x, int[] w, ConvGeometry g) {
        int[] out() {
            return new int[]{x[0], w[0], g.outH(x[2], w[2]), g.outW(x[3], w[3])};
        }

        @Override
        public String toString() {
            return "x " + Arrays.toString(x) + " w " + Arrays.toString(w) + " " + g;
        }
    }

    /** Fixed corner cases, then random ones: strides 1 and 2, padding 0 to 2, non-square kernels and images. */
    private static List<Conv> convCases(SplittableRandom random) {
        List<Conv> cases = new ArrayList<>(List.of(
                new Conv(new int[]{1, 1, 1, 1}, new int[]{1, 1, 1, 1}, ConvGeometry.of(1, 0)),
                new Conv(new int[]{2, 3, 8, 8}, new int[]{4, 3, 3, 3}, ConvGeometry.of(1, 1)),
                new Conv(new int[]{3, 3, 7, 9}, new int[]{2, 3, 3, 2}, ConvGeometry.of(2, 1)),
                new Conv(new int[]{1, 1, 5, 6}, new int[]{3, 1, 5, 6}, ConvGeometry.of(1, 0)),
                new Conv(new int[]{2, 1, 5, 5}, new int[]{2, 1, 5, 5}, ConvGeometry.of(2, 2)),
                new Conv(new int[]{1, 3, 11, 4}, new int[]{5, 3, 1, 1}, new ConvGeometry(2, 1, 0, 2)),
                new Conv(new int[]{2, 3, 1, 1}, new int[]{2, 3, 3, 3}, ConvGeometry.of(1, 1)),
                new Conv(new int[]{1, 1, 9, 8}, new int[]{1, 1, 2, 3}, new ConvGeometry(1, 2, 2, 0)),
                // Channel counts that fill whole GEMM panels (16 and 32 wide), which backends may take on a
                // channels-last path; rows wider than one tile and more filters than one panel.
                new Conv(new int[]{2, 32, 6, 5}, new int[]{5, 32, 3, 3}, ConvGeometry.of(1, 1)),
                new Conv(new int[]{1, 64, 4, 7}, new int[]{3, 64, 2, 3}, new ConvGeometry(1, 1, 2, 0)),
                new Conv(new int[]{2, 2, 5, 19}, new int[]{33, 2, 3, 3}, ConvGeometry.of(1, 1)),
                // One channel and many filters (few taps): a path without GEMM panels, over rows longer than a vector.
                new Conv(new int[]{2, 1, 6, 19}, new int[]{33, 1, 3, 3}, ConvGeometry.of(1, 1))));
        while (cases.size() < 32) {
            int kh = 1 + random.nextInt(5);
            int kw = 1 + random.nextInt(5);
            ConvGeometry g = new ConvGeometry(1 + random.nextInt(2), 1 + random.nextInt(2), random.nextInt(3),
                    random.nextInt(3));
            int h = Math.max(1, kh - 2 * g.padH()) + random.nextInt(9);
            int w = Math.max(1, kw - 2 * g.padW()) + random.nextInt(9);
            int c = random.nextBoolean() ? 1 : 3;
            cases.add(new Conv(new int[]{1 + random.nextInt(3), c, h, w}, new int[]{1 + random.nextInt(5), c, kh, kw}, g));
        }
        return cases;
    }

    @Test
    void conv2dMatchesDirectCrossCorrelation() {
        SplittableRandom random = random("conv2d");
        for (DType dtype : DType.values()) {
            for (Conv conv : convCases(random)) {
                Input x = input(dtype, conv.x, uniform(random, size(conv.x), 1));
                Input w = input(dtype, conv.w, uniform(random, size(conv.w), 1));
                String what = "conv2d " + dtype + " " + conv;
                assertClose(what, reference.conv2d(x.expected, x.shape, w.expected, w.shape, conv.g),
                        tested.conv2d(x.actual, x.shape, w.actual, w.shape, conv.g), conv.w[1] * conv.w[2] * conv.w[3]);
                Input b = input(dtype, new int[]{conv.w[0]}, uniform(random, conv.w[0], 1));
                assertClose(what + " with bias", reference.conv2dBias(x.expected, x.shape, w.expected, w.shape,
                        b.expected, conv.g), tested.conv2dBias(x.actual, x.shape, w.actual, w.shape, b.actual, conv.g),
                        1 + conv.w[1] * conv.w[2] * conv.w[3]);
                unchanged(what, x, w, b);
            }
        }
    }

    @Test
    void conv2dBackwardInputMatchesTheReference() {
        SplittableRandom random = random("conv2dBackwardInput");
        for (DType dtype : DType.values()) {
            for (Conv conv : convCases(random)) {
                Input grad = input(dtype, conv.out(), uniform(random, size(conv.out()), 1));
                Input w = input(dtype, conv.w, uniform(random, size(conv.w), 1));
                String what = "conv2dBackwardInput " + dtype + " " + conv;
                assertClose(what, reference.conv2dBackwardInput(grad.expected, grad.shape, w.expected, w.shape, conv.x,
                                conv.g), tested.conv2dBackwardInput(grad.actual, grad.shape, w.actual, w.shape, conv.x,
                                conv.g), conv.w[0] * conv.w[2] * conv.w[3]);
                unchanged(what, grad, w);
            }
        }
    }

    @Test
    void conv2dBackwardFilterMatchesTheReference() {
        SplittableRandom random = random("conv2dBackwardFilter");
        for (DType dtype : DType.values()) {
            for (Conv conv : convCases(random)) {
                Input x = input(dtype, conv.x, uniform(random, size(conv.x), 1));
                Input grad = input(dtype, conv.out(), uniform(random, size(conv.out()), 1));
                String what = "conv2dBackwardFilter " + dtype + " " + conv;
                int[] out = conv.out();
                assertClose(what, reference.conv2dBackwardFilter(x.expected, x.shape, grad.expected, grad.shape, conv.w,
                                conv.g), tested.conv2dBackwardFilter(x.actual, x.shape, grad.actual, grad.shape, conv.w,
                                conv.g), out[0] * out[2] * out[3]);
                unchanged(what, x, grad);
            }
        }
    }

    @Test
    void maxPool2dArgMaxFirstMaximumAndPaddingNeverWins() {
        SplittableRandom random = random("maxPool2dArgMax");
        for (DType dtype : DType.values()) {
            for (int trial = 0; trial < 60; trial++) {
                // Every fifth trial is the 2x2 stride-2 window of the models, which backends may special-case.
                boolean common = trial % 5 == 0;
                int kh = common ? 2 : 1 + random.nextInt(3);
                int kw = common ? 2 : 1 + random.nextInt(3);
                // Padding at most half the window, as PyTorch requires: every window then holds a real pixel.
                ConvGeometry g = common ? new ConvGeometry(2, 2, 0, 0) : new ConvGeometry(1 + random.nextInt(3),
                        1 + random.nextInt(3), random.nextInt(kh / 2 + 1), random.nextInt(kw / 2 + 1));
                int h = Math.max(1, kh - 2 * g.padH()) + random.nextInt(8);
                int w = Math.max(1, kw - 2 * g.padW()) + random.nextInt(8);
                int[] shape = {1 + random.nextInt(2), random.nextBoolean() ? 1 : 3, h, w};
                // All-negative ties: a backend that lets a zero pad win, or keeps the last maximum, fails.
                double[] values = switch (trial % 3) {
                    case 0 -> discrete(random, size(shape), -3, -1);
                    case 1 -> discrete(random, size(shape), -2, 2);
                    default -> uniform(random, size(shape), 1);
                };
                if (trial % 4 == 3) {
                    // A NaN wins its window, as in argMax.
                    values[random.nextInt(values.length)] = Double.NaN;
                }
                Input x = input(dtype, shape, values);
                String what = "maxPool2dArgMax " + dtype + " " + Arrays.toString(shape) + " kernel " + kh + "x" + kw
                        + " " + g;
                assertArrayEquals(reference.maxPool2dArgMax(x.expected, shape, kh, kw, g),
                        tested.maxPool2dArgMax(x.actual, shape, kh, kw, g), what);
                unchanged(what, x);
            }
        }
    }

    @Test
    void logSoftmaxIsStableForLargeMagnitudes() {
        int[][] views = {{1, 1, 1}, {1, 7, 1}, {3, 13, 1}, {2, 5, 3}, {1, 1031, 1}, {4, 10, 7}, {3, 1, 5}};
        SplittableRandom random = random("logSoftmax");
        for (DType dtype : DType.values()) {
            for (int[] v : views) {
                for (String kind : new String[]{"unit", "±30", "±1000", "all 1000"}) {
                    int size = size(v);
                    double[] values = switch (kind) {
                        case "unit" -> uniform(random, size, 1);
                        case "±30" -> uniform(random, size, 30);
                        case "±1000" -> plusMinus(random, size, 1000);
                        default -> filled(size, 1000);
                    };
                    Input x = input(dtype, v, values);
                    String what = "logSoftmax " + dtype + " [outer, n, inner] = " + Arrays.toString(v) + " values " + kind;
                    assertClose(what, reference.logSoftmax(x.expected, v[0], v[1], v[2]),
                            tested.logSoftmax(x.actual, v[0], v[1], v[2]), v[1]);
                    unchanged(what, x);
                }
            }
        }
    }

    @Test
    void eluBackwardMatchesItsComposedDefinition() {
        SplittableRandom random = random("eluBackward");
        for (DType dtype : DType.values()) {
            for (int size : new int[]{1, 7, 16, 33, 1031}) {
                for (double alpha : new double[]{0, 0.7, 1}) {
                    double[] ys = uniform(random, size, 2);
                    ys[0] = 0; // the boundary takes the y <= 0 branch
                    Input y = input(dtype, new int[]{size}, ys);
                    Input g = input(dtype, new int[]{size}, uniform(random, size, 2));
                    String what = "eluBackward " + dtype + " size " + size + " alpha " + alpha;
                    assertClose(what, reference.eluBackward(y.expected, g.expected, alpha),
                            tested.eluBackward(y.actual, g.actual, alpha), 1);
                    unchanged(what, y, g);
                }
            }
        }
    }

    @Test
    void batchNormKernelsMatchTheirComposedDefinition() {
        int[][] shapes = {{2, 1}, {3, 5}, {2, 3, 7}, {1, 2, 3, 1}, {4, 32, 9, 9}, {3, 7, 5, 4}};
        SplittableRandom random = random("batchNorm");
        for (DType dtype : DType.values()) {
            for (int[] shape : shapes) {
                for (double offset : new double[]{0, 50}) {
                    int channels = shape[1];
                    int perChannel = size(shape) / channels;
                    double[] values = uniform(random, size(shape), 2);
                    for (int i = 0; i < values.length; i++) {
                        values[i] += offset;
                    }
                    Input x = input(dtype, shape, values);
                    Input w = input(dtype, new int[]{channels}, uniform(random, channels, 2));
                    Input b = input(dtype, new int[]{channels}, uniform(random, channels, 2));
                    Input g = input(dtype, shape, uniform(random, size(shape), 1));
                    String what = "batch norm " + dtype + " " + Arrays.toString(shape) + " offset " + offset;
                    Storage expectedMoments = reference.channelMoments(x.expected, shape);
                    Storage moments = tested.channelMoments(x.actual, shape);
                    assertClose(what + ": moments", expectedMoments, moments, perChannel * (1 + offset));
                    // Both sides then normalise with the same (reference) moments.
                    Input m = input(dtype, new int[]{2, channels}, reference.toDoubleArray(expectedMoments));
                    assertClose(what + ": forward", reference.batchNorm(x.expected, shape, m.expected, w.expected,
                            b.expected, 1e-3), tested.batchNorm(x.actual, shape, m.actual, w.actual, b.actual, 1e-3),
                            1 + offset);
                    assertClose(what + ": backward from its gradient sums", reference.batchNormBackward(x.expected,
                            shape, m.expected, w.expected, g.expected, reference.batchNormGradSums(x.expected, shape,
                            m.expected, g.expected), 1e-3), tested.batchNormBackward(x.actual, shape, m.actual,
                            w.actual, g.actual, tested.batchNormGradSums(x.actual, shape, m.actual, g.actual), 1e-3),
                            perChannel * (1 + offset));
                    assertClose(what + ": gradient sums", reference.batchNormGradSums(x.expected, shape, m.expected,
                            g.expected), tested.batchNormGradSums(x.actual, shape, m.actual, g.actual),
                            perChannel * (1 + offset));
                    Input u = input(dtype, shape, uniform(random, size(shape), 1));
                    assertClose(what + ": second-order sums", reference.batchNormSums(x.expected, shape, m.expected,
                            g.expected, u.expected), tested.batchNormSums(x.actual, shape, m.actual, g.actual,
                            u.actual), perChannel * (1 + offset));
                    Input k = input(dtype, new int[]{5, channels}, uniform(random, 5 * channels, 2));
                    assertClose(what + ": combine", reference.batchNormCombine(x.expected, shape, g.expected,
                            u.expected, k.expected), tested.batchNormCombine(x.actual, shape, g.actual, u.actual,
                            k.actual), 4 * (1 + offset));
                    assertClose(what + ": channel affine", reference.channelAffine(x.expected, shape, w.expected,
                            b.expected), tested.channelAffine(x.actual, shape, w.actual, b.actual), 2 * (1 + offset));
                    assertClose(what + ": channel affine without shift", reference.channelAffine(x.expected, shape,
                            w.expected, null), tested.channelAffine(x.actual, shape, w.actual, null), 2 * (1 + offset));
                    assertClose(what + ": channel dot", reference.channelDot(g.expected, x.expected, shape),
                            tested.channelDot(g.actual, x.actual, shape), perChannel * (1 + offset));
                    unchanged(what, x, w, b, g, m, u, k);
                }
            }
        }
    }

    // ---- inputs and comparisons

    /** One input tensor, uploaded to both backends from the same values (rounded first in float32). */
    private final class Input {
        final int[] shape;
        final double[] values;
        final Storage actual;
        final Storage expected;

        Input(DType dtype, int[] shape, double[] values) {
            this.shape = shape;
            if (dtype == DType.FLOAT32) {
                float[] floats = toFloats(values);
                this.actual = tested.fromArray(floats);
                this.expected = reference.fromArray(floats);
            } else {
                this.actual = tested.fromArray(values);
                this.expected = reference.fromArray(values);
            }
            this.values = reference.toDoubleArray(expected);
        }
    }

    private Input input(DType dtype, int[] shape, double[] values) {
        return new Input(dtype, shape, values);
    }

    /** Kernels never modify their inputs. */
    private void unchanged(String what, Input... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            assertArrayEquals(inputs[i].values, tested.toDoubleArray(inputs[i].actual),
                    what + ": input " + i + " was modified");
        }
    }

    private void assertClose(String what, Storage expected, Storage actual, double length) {
        double tolerance = expected.dtype() == DType.FLOAT32 ? float32Tolerance() : FLOAT64_TOLERANCE;
        double[] e = checkedValues(what, expected, actual);
        double[] a = tested.toDoubleArray(actual);
        int bad = 0;
        int first = -1;
        for (int i = 0; i < e.length; i++) {
            boolean close = Double.isNaN(e[i]) || Double.isInfinite(e[i]) || Double.isNaN(a[i]) || Double.isInfinite(a[i])
                    ? Double.compare(e[i] == 0 ? 0 : e[i], a[i] == 0 ? 0 : a[i]) == 0
                    : Math.abs(a[i] - e[i]) <= tolerance * (Math.abs(e[i]) + length);
            if (!close) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + e.length + " elements differ; first at " + first + ": expected " + e[first]
                    + " but was " + a[first] + " (tolerance " + tolerance + " · (|expected| + " + length + "))");
        }
    }

    /** Bit-for-bit equality (NaN equals NaN; 0.0 and -0.0 differ). */
    private void assertExact(String what, Storage expected, Storage actual) {
        double[] e = checkedValues(what, expected, actual);
        double[] a = tested.toDoubleArray(actual);
        for (int i = 0; i < e.length; i++) {
            if (Double.compare(e[i], a[i]) != 0) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i] + " (must match exactly)");
            }
        }
    }

    private double[] checkedValues(String what, Storage expected, Storage actual) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertEquals(expected.size(), actual.size(), what + ": size");
        return reference.toDoubleArray(expected);
    }

    // ---- generators

    private static SplittableRandom random(String test) {
        return new SplittableRandom(SEED ^ test.hashCode());
    }

    private static double[] uniform(SplittableRandom random, int n, double scale) {
        return random.doubles(n, -scale, scale).toArray();
    }

    private static double[] discrete(SplittableRandom random, int n, int lo, int hi) {
        return random.ints(n, lo, hi + 1).asDoubleStream().toArray();
    }

    private static double[] plusMinus(SplittableRandom random, int n, double magnitude) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextBoolean() ? magnitude : -magnitude) + random.nextDouble(-1, 1);
        }
        return v;
    }

    private static double[] filled(int n, double value) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }

    /** Mostly small values, some wide ones (exp overflow in float32 at 88), and exact specials. */
    private static double[] unaryValues(SplittableRandom random, int n) {
        double[] specials = {0, -0.0, 1, -1, 2};
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(10);
            v[i] = pick < 6 ? random.nextDouble(-3, 3) : pick < 9 ? random.nextDouble(-100, 100)
                    : specials[random.nextInt(specials.length)];
        }
        return v;
    }

    private static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    // ---- shapes

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** NumPy broadcasting of several shapes. */
    private static int[] broadcast(int[]... shapes) {
        int rank = Arrays.stream(shapes).mapToInt(s -> s.length).max().orElse(0);
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int a = 0; a < s.length; a++) {
                int o = a + rank - s.length;
                if (s[a] != 1) {
                    out[o] = s[a];
                }
            }
        }
        return out;
    }

    /** Every subset of the axes for rank up to 3; for higher ranks none, all, each single axis and a few pairs. */
    private static List<boolean[]> axisSubsets(int rank) {
        List<boolean[]> subsets = new ArrayList<>();
        if (rank <= 3) {
            for (int mask = 0; mask < 1 << rank; mask++) {
                subsets.add(fromMask(mask, rank));
            }
            return subsets;
        }
        for (int mask : new int[]{0, (1 << rank) - 1, 1, 2, 4, 8, 0b0101, 0b1010, 0b1001, 0b0110}) {
            subsets.add(fromMask(mask, rank));
        }
        return subsets;
    }

    private static boolean[] fromMask(int mask, int rank) {
        boolean[] axes = new boolean[rank];
        for (int a = 0; a < rank; a++) {
            axes[a] = (mask & 1 << a) != 0;
        }
        return axes;
    }

    private static int reducedLength(int[] shape, boolean[] axes) {
        int n = 1;
        for (int a = 0; a < shape.length; a++) {
            n *= axes[a] ? shape[a] : 1;
        }
        return n;
    }

    private static int maxMultiplicity(int[] index, int outSize) {
        int[] count = new int[outSize];
        int max = 1;
        for (int i : index) {
            max = Math.max(max, ++count[i]);
        }
        return max;
    }

    private static List<int[]> allPermutations(int rank) {
        List<int[]> out = new ArrayList<>();
        permute(new int[rank], new boolean[rank], 0, out);
        return out;
    }

    private static void permute(int[] perm, boolean[] used, int position, List<int[]> out) {
        if (position == perm.length) {
            out.add(perm.clone());
            return;
        }
        for (int a = 0; a < perm.length; a++) {
            if (!used[a]) {
                used[a] = true;
                perm[position] = a;
                permute(perm, used, position + 1, out);
                used[a] = false;
            }
        }
    }

    private static List<int[]> randomPermutations(SplittableRandom random, int rank, int count) {
        List<int[]> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int[] perm = new int[rank];
            for (int a = 0; a < rank; a++) {
                perm[a] = a;
            }
            for (int a = rank - 1; a > 0; a--) {
                int b = random.nextInt(a + 1);
                int t = perm[a];
                perm[a] = perm[b];
                perm[b] = t;
            }
            out.add(perm);
        }
        return out;
    }
}
