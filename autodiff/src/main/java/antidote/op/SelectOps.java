package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.tensor.Shape;
import antidote.tensor.ShapeException;
import antidote.tensor.Tensor;

/** Selection: where, and the take/scatterAdd pair by flat index that gather, max and max-pooling build on. */
public final class SelectOps {
    private SelectOps() {
    }

    /** cond ? a : b. The mask input gets no gradient; a gets g where cond, b gets g elsewhere. */
    public static final class Where implements Op {
        public Primitive primitive() {
            return Primitive.WHERE;
        }

        public Shape outputShape(Tensor[] in) {
            return Shape.broadcast(name(), Shape.broadcast(name(), in[0].shape(), in[1].shape()), in[2].shape());
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.where(in[0].storage(), in[0].shape().dims(), in[1].storage(), in[1].shape().dims(),
                    in[2].storage(), in[2].shape().dims(), out.dims());
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            Tensor cond = c.input(0);
            Tensor zero = g.constant(0, Shape.scalar());
            // The mask is piecewise constant: zero gradient almost everywhere.
            return Context.each(needed, i -> switch (i) {
                case 0 -> cond.zerosLike();
                case 1 -> cond.where(g, zero).sumTo(c.input(1).shape());
                default -> cond.where(zero, g).sumTo(c.input(2).shape());
            });
        }
    }

    /** out[j] = x[index[j]]: linear in x, so its rule scatters the gradient back to the same positions. */
    public static final class Take implements Op {
        private final int[] index;
        private final Shape outShape;

        public Take(int[] index, Shape outShape) {
            if (index.length != outShape.size()) {
                throw new ShapeException("take: " + index.length + " indices for output shape " + outShape);
            }
            this.index = index;
            this.outShape = outShape;
        }

        public Primitive primitive() {
            return Primitive.TAKE;
        }

        public Shape outputShape(Tensor[] in) {
            checkIndex(name(), index, in[0].size());
            return outShape;
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.take(in[0].storage(), index);
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            return new Tensor[] {g.scatterAdd(index, c.input(0).shape())};
        }
    }

    /** out[index[j]] += src[j]: the transpose of take, so its rule is take with the same indices. */
    public static final class ScatterAdd implements Op {
        private final int[] index;
        private final Shape outShape;

        public ScatterAdd(int[] index, Shape outShape) {
            this.index = index;
            this.outShape = outShape;
        }

        public Primitive primitive() {
            return Primitive.SCATTER_ADD;
        }

        public Shape outputShape(Tensor[] in) {
            if (index.length != in[0].size()) {
                throw new ShapeException("scatter_add: " + index.length + " indices for source shape " + in[0].shape());
            }
            checkIndex(name(), index, outShape.size());
            return outShape;
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.scatterAdd(in[0].storage(), index, out.size());
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            return new Tensor[] {g.take(index, c.input(0).shape())};
        }
    }

    private static void checkIndex(String op, int[] index, int size) {
        for (int j = 0; j < index.length; j++) {
            if (index[j] < 0 || index[j] >= size) {
                throw new IndexOutOfBoundsException(op + ": index " + index[j] + " at position " + j
                        + " is outside a tensor of " + size + " elements");
            }
        }
    }

    /**
     * Flat indices for PyTorch-style gather along {@code axis}: position p of the index tensor (shape
     * {@code indexShape}) reads the source at p's coordinates with the {@code axis} coordinate replaced by
     * {@code index[p]}.
     */
    public static int[] gatherIndex(Shape source, int axis, int[] index, Shape indexShape) {
        if (indexShape.rank() != source.rank() || index.length != indexShape.size()) {
            throw new ShapeException("gather: index shape " + indexShape + " (" + index.length
                    + " values) does not fit source " + source);
        }
        for (int a = 0; a < source.rank(); a++) {
            if (a != axis && indexShape.dim(a) > source.dim(a)) {
                throw new ShapeException("gather: index shape " + indexShape + " exceeds source " + source
                        + " on axis " + a);
            }
        }
        int[] srcStrides = source.strides();
        int[] idxDims = indexShape.dims();
        int[] flat = new int[index.length];
        int[] coord = new int[idxDims.length];
        for (int p = 0; p < index.length; p++) {
            int v = index[p];
            if (v < 0 || v >= source.dim(axis)) {
                throw new IndexOutOfBoundsException("gather: index " + v + " at position " + p
                        + " out of range [0, " + source.dim(axis) + ") on axis " + axis + " of " + source);
            }
            int off = 0;
            for (int a = 0; a < coord.length; a++) {
                off += (a == axis ? v : coord[a]) * srcStrides[a];
            }
            flat[p] = off;
            for (int a = coord.length - 1; a >= 0; a--) {
                if (++coord[a] < idxDims[a]) {
                    break;
                }
                coord[a] = 0;
            }
        }
        return flat;
    }
}
