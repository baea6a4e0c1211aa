package antidote.backend.cuda;

import antidote.backend.Strides;

/**
 * A reduction over the axes flagged in {@code axes}, as two layouts over the input: {@code kept} enumerates the
 * outputs (the keepdim result in row-major order) and {@code reduced} the elements of one output in increasing
 * input order; an element's offset is the sum of the two. The host half of reduce.cu's (kept, reduced) pair.
 */
final class Reduction {
    final Layout kept;
    final Layout reduced;
    final int outSize;
    final int reduceSize;

    Reduction(int[] shape, boolean[] axes) {
        int[] strides = Strides.contiguous(shape);
        int reducedRank = 0;
        for (boolean axis : axes) {
            reducedRank += axis ? 1 : 0;
        }
        int[] keptDims = new int[shape.length - reducedRank];
        int[] keptStrides = new int[keptDims.length];
        int[] reducedDims = new int[reducedRank];
        int[] reducedStrides = new int[reducedRank];
        int k = 0;
        int r = 0;
        for (int a = 0; a < shape.length; a++) {
            if (axes[a]) {
                reducedDims[r] = shape[a];
                reducedStrides[r++] = strides[a];
            } else {
                keptDims[k] = shape[a];
                keptStrides[k++] = strides[a];
            }
        }
        kept = Layout.strided(keptDims, keptStrides, 0);
        reduced = Layout.strided(reducedDims, reducedStrides, 0);
        outSize = product(keptDims);
        reduceSize = product(reducedDims);
    }

    private static int product(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }
}
