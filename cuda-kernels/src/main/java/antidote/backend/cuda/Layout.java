package antidote.backend.cuda;

import antidote.backend.Strides;

import java.util.Arrays;

/**
 * A row-major iteration space with, for up to three operands, the element stride of each dimension (0 where
 * an operand is broadcast) and a base offset for operand 0: the host half of the {@code Layout} struct in
 * common.cuh. Dimensions of size 1 are dropped and neighbours that are contiguous for every operand are
 * merged, so that the kernels' index arithmetic usually runs over one to three dimensions.
 */
final class Layout {
    /** MAX_RANK in common.cuh. */
    static final int MAX_RANK = 8;
    /** MAX_OPERANDS in common.cuh. */
    static final int MAX_OPERANDS = 3;
    /** Ints in the packed struct: rank, base, dims[MAX_RANK], strides[MAX_OPERANDS][MAX_RANK]. */
    static final int PACKED_INTS = 2 + MAX_RANK + MAX_OPERANDS * MAX_RANK;

    final int[] dims;
    final int[][] strides;
    final int base;

    private Layout(int[] dims, int[][] strides, int base) {
        this.dims = dims;
        this.strides = strides;
        this.base = base;
    }

    /** Iterates {@code outShape}; operand k reads a tensor of {@code shapes[k]} broadcast to it (NumPy rules). */
    static Layout broadcast(int[] outShape, int[]... shapes) {
        int[][] strides = new int[shapes.length][];
        for (int k = 0; k < shapes.length; k++) {
            strides[k] = Strides.broadcast(shapes[k], outShape);
        }
        return new Layout(outShape.clone(), strides, 0).coalesced();
    }

    /** Iterates {@code dims} with one operand read or written at {@code base + Σ index·strides}. */
    static Layout strided(int[] dims, int[] strides, int base) {
        return new Layout(dims.clone(), new int[][]{strides.clone()}, base).coalesced();
    }

    /** Reads x of {@code shape} in the order of its permutation by {@code perm}. */
    static Layout permute(int[] shape, int[] perm) {
        int[] inStrides = Strides.contiguous(shape);
        int[] outShape = new int[perm.length];
        int[] strides = new int[perm.length];
        for (int a = 0; a < perm.length; a++) {
            outShape[a] = shape[perm[a]];
            strides[a] = inStrides[perm[a]];
        }
        return strided(outShape, strides, 0);
    }

    /** Reads x of {@code shape} broadcast to {@code outShape}. */
    static Layout expand(int[] shape, int[] outShape) {
        return strided(outShape, Strides.broadcast(shape, outShape), 0);
    }

    /** Reads the box of x ({@code shape}) that starts at {@code start} and has extent {@code outShape}. */
    static Layout slice(int[] shape, int[] start, int[] outShape) {
        int[] strides = Strides.contiguous(shape);
        return strided(outShape, strides, dot(start, strides));
    }

    /**
     * Writes x of {@code shape} into a tensor of {@code outShape} at offset {@code before}: pad, and each part
     * of a concat. The layout iterates x; its strides are the output's.
     */
    static Layout placed(int[] shape, int[] before, int[] outShape) {
        int[] outStrides = Strides.contiguous(outShape);
        return strided(shape, outStrides, dot(before, outStrides));
    }

    private static int dot(int[] index, int[] strides) {
        int offset = 0;
        for (int a = 0; a < index.length; a++) {
            offset += index[a] * strides[a];
        }
        return offset;
    }

    /** Drops size-1 dimensions and merges a dimension into the next when every operand steps over it contiguously. */
    private Layout coalesced() {
        int operands = strides.length;
        int[] d = new int[dims.length];
        int[][] s = new int[operands][dims.length];
        int rank = 0;
        for (int a = 0; a < dims.length; a++) {
            if (dims[a] == 1) {
                continue;
            }
            if (rank > 0 && mergeable(s, rank - 1, a)) {
                d[rank - 1] *= dims[a];
                for (int k = 0; k < operands; k++) {
                    s[k][rank - 1] = strides[k][a];
                }
                continue;
            }
            d[rank] = dims[a];
            for (int k = 0; k < operands; k++) {
                s[k][rank] = strides[k][a];
            }
            rank++;
        }
        int[][] trimmed = new int[operands][];
        for (int k = 0; k < operands; k++) {
            trimmed[k] = Arrays.copyOf(s[k], rank);
        }
        return new Layout(Arrays.copyOf(d, rank), trimmed, base);
    }

    /** Whether, for every operand, kept dimension {@code last} steps over dimension a: its stride × a's extent. */
    private boolean mergeable(int[][] kept, int last, int a) {
        for (int k = 0; k < strides.length; k++) {
            if (kept[k][last] != strides[k][a] * dims[a]) {
                return false;
            }
        }
        return true;
    }

    /** Number of positions iterated. */
    int size() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** The struct as the kernels read it; {@code kernel} names the caller in the error for too many dimensions. */
    int[] pack(String kernel) {
        if (dims.length > MAX_RANK) {
            throw new UnsupportedOperationException("cuda " + kernel + ": " + dims.length
                    + " dimensions remain after merging contiguous ones, the kernels handle at most " + MAX_RANK
                    + "; reshape to fewer dimensions or run this op on the cpu device");
        }
        int[] packed = new int[PACKED_INTS];
        packed[0] = dims.length;
        packed[1] = base;
        System.arraycopy(dims, 0, packed, 2, dims.length);
        for (int k = 0; k < strides.length; k++) {
            System.arraycopy(strides[k], 0, packed, 2 + MAX_RANK + k * MAX_RANK, dims.length);
        }
        return packed;
    }
}
