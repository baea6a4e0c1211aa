package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.tensor.Shape;
import antidote.tensor.ShapeException;
import antidote.tensor.Tensor;

/** Matrix products. */
public final class LinalgOps {
    private LinalgOps() {
    }

    /** C = A·B for [M,K]·[K,N] or batched [B,M,K]·[B,K,N]. VJP: dA = G·Bᵀ, dB = Aᵀ·G. */
    public static final class Matmul implements Op {
        public Primitive primitive() {
            return Primitive.MATMUL;
        }

        public Shape outputShape(Tensor[] in) {
            Shape a = in[0].shape();
            Shape b = in[1].shape();
            boolean ok = a.rank() == b.rank() && (a.rank() == 2 || a.rank() == 3) && a.dim(-1) == b.dim(-2)
                    && (a.rank() == 2 || a.dim(0) == b.dim(0));
            if (!ok) {
                throw new ShapeException("matmul: cannot multiply " + a + " by " + b
                        + " (expected [M,K]x[K,N] or [B,M,K]x[B,K,N])");
            }
            return a.rank() == 2 ? Shape.of(a.dim(0), b.dim(1)) : Shape.of(a.dim(0), a.dim(1), b.dim(2));
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            Shape a = in[0].shape();
            int batch = a.rank() == 3 ? a.dim(0) : 1;
            return backend.matmul(in[0].storage(), in[1].storage(), batch, a.dim(-2), a.dim(-1), in[1].dim(-1));
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            return Context.each(needed, i -> i == 0 ? g.matmul(c.input(1).transpose(-1, -2))
                    : c.input(0).transpose(-1, -2).matmul(g));
        }
    }
}
