package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/** Reductions. Only sum is primitive: mean is sum/n, and max is argMax + take (see Tensor). */
public final class ReduceOps {
    private ReduceOps() {
    }

    /** Σ over flagged axes; its rule broadcasts the gradient back over the summed axes. */
    public static final class Sum implements Op {
        private final boolean[] axes;
        private final boolean keepDim;

        public Sum(boolean[] axes, boolean keepDim) {
            this.axes = axes;
            this.keepDim = keepDim;
        }

        public Primitive primitive() {
            return Primitive.SUM;
        }

        public Shape outputShape(Tensor[] in) {
            int[] d = in[0].shape().dims();
            if (axes.length != d.length) {
                throw new antidote.tensor.ShapeException("sum: axis mask of rank " + axes.length + " for shape "
                        + in[0].shape());
            }
            return keepDim ? Shape.of(keptDims(d)) : Shape.of(droppedDims(d));
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.sum(in[0].storage(), in[0].shape().dims(), axes);
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            int[] inDims = c.input(0).shape().dims();
            return new Tensor[] {g.reshape(keptDims(inDims)).expand(inDims)};
        }

        private int[] keptDims(int[] d) {
            int[] k = d.clone();
            for (int a = 0; a < k.length; a++) {
                if (axes[a]) {
                    k[a] = 1;
                }
            }
            return k;
        }

        private int[] droppedDims(int[] d) {
            int n = 0;
            for (boolean b : axes) {
                n += b ? 0 : 1;
            }
            int[] out = new int[n];
            int j = 0;
            for (int a = 0; a < d.length; a++) {
                if (!axes[a]) {
                    out[j++] = d[a];
                }
            }
            return out;
        }
    }
}
