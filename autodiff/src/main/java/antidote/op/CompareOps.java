package antidote.op;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.Storage;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/** Comparisons: masks of 0 and 1 in the inputs' dtype. Not differentiable; their results carry no graph. */
public final class CompareOps {
    private CompareOps() {
    }

    /** a (op) b elementwise with broadcasting; the mask is a constant, so it has no VJP. */
    public static final class Compare implements Op {
        private final BinaryOp kind;

        public Compare(BinaryOp kind) {
            if (kind.ordinal() < BinaryOp.EQ.ordinal()) {
                throw new IllegalArgumentException(kind + " is arithmetic, not a comparison");
            }
            this.kind = kind;
        }

        public Primitive primitive() {
            return Primitive.COMPARE;
        }

        @Override
        public boolean differentiable() {
            return false;
        }

        public Shape outputShape(Tensor[] in) {
            return Shape.broadcast(name(), in[0].shape(), in[1].shape());
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.binary(kind, in[0].storage(), in[0].shape().dims(), in[1].storage(), in[1].shape().dims(),
                    out.dims());
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            throw new IllegalStateException("comparisons record no graph node, so their rule is never called");
        }
    }
}
