package antidote.backend.cuda;

import antidote.backend.BinaryOp;
import antidote.backend.Storage;
import antidote.check.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host half of the strided kernels, checked without a GPU: each layout is packed exactly as the kernels
 * receive it, the kernels' index arithmetic (layout_offsets in common.cuh) is replayed on the host, and the
 * result is compared with {@link ReferenceBackend}. Inputs hold distinct values, so any wrong offset shows.
 */
class LayoutTest {
    private final ReferenceBackend reference = new ReferenceBackend();
    private final SplittableRandom random = new SplittableRandom(7);

    @Test
    void broadcastReadsBothOperandsLikeTheReference() {
        int[][][] cases = {
                {{}, {}}, {{7}, {7}}, {{7, 13}, {13}}, {{7, 1}, {1, 13}}, {{2, 1, 5}, {3, 1}}, {{}, {4, 3}},
                {{3, 1, 4, 1}, {5, 1, 6}}, {{1, 3, 1, 5}, {2, 1, 7, 1}}, {{2, 3, 4}, {2, 3, 4}},
        };
        for (int[][] c : cases) {
            int[] out = broadcastShape(c[0], c[1]);
            double[] a = distinct(size(c[0]));
            double[] b = distinct(size(c[1]));
            int[] packed = Layout.broadcast(out, c[0], c[1]).pack("test");
            double[] actual = new double[size(out)];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = a[offset(packed, 0, i)] * 1000 + b[offset(packed, 1, i)];
            }
            Storage expected = reference.binary(BinaryOp.ADD,
                    reference.fromArray(scale(a, 1000)), c[0], reference.fromArray(b), c[1], out);
            assertArrayEquals(reference.toDoubleArray(expected), actual, "broadcast " + str(c[0]) + " with " + str(c[1]));
        }
    }

    @Test
    void whereLayoutHasThreeOperands() {
        int[] cond = {3, 1, 1};
        int[] a = {1, 5, 1};
        int[] b = {1, 1, 7};
        int[] out = {3, 5, 7};
        double[] c = new double[3];
        c[1] = 1;
        double[] av = distinct(5);
        double[] bv = distinct(7);
        int[] packed = Layout.broadcast(out, cond, a, b).pack("test");
        double[] actual = new double[size(out)];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = c[offset(packed, 0, i)] != 0 ? av[offset(packed, 1, i)] : bv[offset(packed, 2, i)];
        }
        Storage expected = reference.where(reference.fromArray(c), cond, reference.fromArray(av), a,
                reference.fromArray(bv), b, out);
        assertArrayEquals(reference.toDoubleArray(expected), actual);
    }

    @Test
    void permuteExpandAndSliceGatherLikeTheReference() {
        int[] shape = {2, 3, 4, 5};
        double[] x = distinct(size(shape));
        Storage xs = reference.fromArray(x);
        for (int[] perm : List.of(new int[]{0, 1, 2, 3}, new int[]{3, 2, 1, 0}, new int[]{1, 0, 3, 2},
                new int[]{0, 2, 1, 3}, new int[]{2, 3, 0, 1})) {
            assertGather(reference.permute(xs, shape, perm), x, Layout.permute(shape, perm), "permute " + str(perm));
        }
        int[] small = {2, 1, 3, 1};
        double[] y = distinct(size(small));
        int[] big = {2, 4, 3, 5};
        assertGather(reference.expand(reference.fromArray(y), small, big), y, Layout.expand(small, big), "expand");
        int[] start = {1, 0, 2, 1};
        int[] extent = {1, 3, 2, 3};
        assertGather(reference.slice(xs, shape, start, extent), x, Layout.slice(shape, start, extent), "slice");
        assertGather(reference.expand(reference.fromArray(new double[]{4}), new int[]{}, new int[]{}), new double[]{4},
                Layout.expand(new int[]{}, new int[]{}), "rank 0");
    }

    @Test
    void padAndConcatScatterLikeTheReference() {
        int[] shape = {2, 3, 4};
        double[] x = distinct(size(shape));
        int[] before = {1, 0, 2};
        int[] outShape = {4, 5, 7};
        double[] padded = new double[size(outShape)];
        Arrays.fill(padded, -1.5);
        scatter(x, Layout.placed(shape, before, outShape), padded);
        assertArrayEquals(reference.toDoubleArray(reference.pad(reference.fromArray(x), shape, before, outShape, -1.5)),
                padded, "pad");

        for (int axis = 0; axis < 3; axis++) {
            int[] p0 = {2, 3, 4};
            int[] p1 = p0.clone();
            p1[axis] = 1;
            int[] out = p0.clone();
            out[axis] += 1;
            double[] x0 = distinct(size(p0));
            double[] x1 = distinct(size(p1));
            double[] actual = new double[size(out)];
            int[] at = new int[3];
            scatter(x0, Layout.placed(p0, at, out), actual);
            at[axis] = p0[axis];
            scatter(x1, Layout.placed(p1, at, out), actual);
            Storage expected = reference.concat(List.of(reference.fromArray(x0), reference.fromArray(x1)),
                    List.of(p0, p1), axis, out);
            assertArrayEquals(reference.toDoubleArray(expected), actual, "concat along " + axis);
        }
    }

    @Test
    void reductionLayoutsVisitEachOutputsElementsInInputOrder() {
        int[] shape = {2, 3, 4, 5};
        double[] x = distinct(size(shape));
        for (int mask = 0; mask < 16; mask++) {
            boolean[] axes = new boolean[4];
            for (int a = 0; a < 4; a++) {
                axes[a] = (mask & 1 << a) != 0;
            }
            Reduction r = new Reduction(shape, axes);
            int[] kept = r.kept.pack("test");
            int[] reduced = r.reduced.pack("test");
            double[] sums = new double[r.outSize];
            int[] firstMax = new int[r.outSize];
            for (int o = 0; o < r.outSize; o++) {
                int base = offset(kept, 0, o);
                int previous = -1;
                firstMax[o] = -1;
                for (int e = 0; e < r.reduceSize; e++) {
                    int at = base + offset(reduced, 0, e);
                    assertTrue(at > previous, "elements of one output must come in increasing input order");
                    previous = at;
                    sums[o] += x[at];
                    if (firstMax[o] < 0 || x[at] > x[firstMax[o]]) {
                        firstMax[o] = at;
                    }
                }
            }
            String what = "reduce " + str(shape) + " mask " + mask;
            assertArrayEquals(reference.toDoubleArray(reference.sum(reference.fromArray(x), shape, axes)), sums, what);
            assertArrayEquals(reference.argMax(reference.fromArray(x), shape, axes), firstMax, what);
        }
    }

    @Test
    void contiguousDimensionsMergeAndSizeOneDimensionsDrop() {
        Layout same = Layout.broadcast(new int[]{2, 3, 4, 5}, new int[]{2, 3, 4, 5}, new int[]{2, 3, 4, 5});
        assertArrayEquals(new int[]{120}, same.dims);
        Layout rowVector = Layout.broadcast(new int[]{6, 7, 8}, new int[]{6, 7, 8}, new int[]{8});
        assertArrayEquals(new int[]{42, 8}, rowVector.dims);
        assertArrayEquals(new int[]{0, 1}, rowVector.strides[1]);
        Layout ones = Layout.expand(new int[]{1, 1, 1}, new int[]{1, 1, 1});
        assertEquals(0, ones.dims.length);
        int[] nine = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        assertArrayEquals(new int[]{512}, Layout.permute(nine, new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8}).dims);
    }

    @Test
    void tooManyDimensionsAfterMergingIsAClearError() {
        int[] nine = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        Layout reversed = Layout.permute(nine, new int[]{8, 7, 6, 5, 4, 3, 2, 1, 0});
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> reversed.pack("permute"));
        assertTrue(e.getMessage().contains("cpu"), e.getMessage());
    }

    @Test
    void scatterAddGroupsKeepEachDestinationsSourcesInOrder() {
        int[] index = random.ints(500, 0, 17).toArray();
        int[] grouped = CudaBackend.groupByDestination(index, 20);
        double[] src = distinct(index.length);
        double[] sums = new double[20];
        for (int j = 0; j < 20; j++) {
            int previous = -1;
            for (int k = grouped[j]; k < grouped[j + 1]; k++) {
                int i = grouped[21 + k];
                assertEquals(j, index[i], "source " + i + " grouped under the wrong destination");
                assertTrue(i > previous, "sources of a destination must stay in increasing order");
                previous = i;
                sums[j] += src[i];
            }
        }
        assertEquals(index.length, grouped[20], "every source is grouped once");
        assertArrayEquals(reference.toDoubleArray(reference.scatterAdd(reference.fromArray(src), index, 20)), sums);
    }

    // ---- the kernels' index arithmetic, replayed from the packed struct

    /** layout_offsets of common.cuh for one operand (base added to operand 0 only). */
    private static int offset(int[] packed, int operand, int flat) {
        int rank = packed[0];
        int off = operand == 0 ? packed[1] : 0;
        for (int a = rank - 1; a >= 0; a--) {
            int dim = packed[2 + a];
            off += flat % dim * packed[2 + Layout.MAX_RANK + operand * Layout.MAX_RANK + a];
            flat /= dim;
        }
        return off;
    }

    private void assertGather(Storage expected, double[] x, Layout layout, String what) {
        int[] packed = layout.pack("test");
        double[] actual = new double[layout.size()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = x[offset(packed, 0, i)];
        }
        assertArrayEquals(reference.toDoubleArray(expected), actual, what);
    }

    private static void scatter(double[] x, Layout layout, double[] out) {
        int[] packed = layout.pack("test");
        for (int i = 0; i < x.length; i++) {
            out[offset(packed, 0, i)] = x[i];
        }
    }

    private double[] distinct(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1 + random.nextDouble() / 2;
        }
        return v;
    }

    private static double[] scale(double[] v, double factor) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }

    private static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            out[i] = Math.max(da, db);
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

    private static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
