package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.tensor.Shape;
import antidote.tensor.ShapeException;
import antidote.tensor.Tensor;

/** The fused, numerically stable log-softmax that softmax and cross-entropy are built on. */
public final class LossOps {
    private LossOps() {
    }

    /** y = x − log Σ e^x along an axis (max-shifted). VJP: g − softmax(x)·Σg, with softmax = e^y. */
    public static final class LogSoftmax implements Op {
        private final int axis;

        public LogSoftmax(int axis) {
            this.axis = axis;
        }

        public Primitive primitive() {
            return Primitive.LOG_SOFTMAX;
        }

        public Shape outputShape(Tensor[] in) {
            in[0].shape().axis(axis);
            return in[0].shape();
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            int[] d = out.dims();
            int outer = 1;
            int inner = 1;
            for (int a = 0; a < axis; a++) {
                outer *= d[a];
            }
            for (int a = axis + 1; a < d.length; a++) {
                inner *= d[a];
            }
            return backend.logSoftmax(in[0].storage(), outer, d[axis], inner);
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            return new Tensor[] {g.sub(c.output().exp().mul(g.sum(true, axis)))};
        }
    }

    /** Checks that class labels fit logits of shape [N, C] and returns them. */
    public static int[] checkLabels(Shape logits, int[] labels) {
        if (logits.rank() != 2 || logits.dim(0) != labels.length) {
            throw new ShapeException("crossEntropy: logits " + logits + " need shape [N, C] with N = "
                    + labels.length + " labels");
        }
        for (int j = 0; j < labels.length; j++) {
            if (labels[j] < 0 || labels[j] >= logits.dim(1)) {
                throw new IllegalArgumentException("crossEntropy: label " + labels[j] + " of sample " + j
                        + " is outside [0, " + logits.dim(1) + ")");
            }
        }
        return labels;
    }
}
