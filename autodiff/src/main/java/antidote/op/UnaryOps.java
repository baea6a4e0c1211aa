package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.backend.UnaryOp;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/** Elementwise functions of one tensor; each rule dx(x, y, g) reuses the output y where the derivative allows. */
public final class UnaryOps {
    private UnaryOps() {
    }

    /** The registered op for a backend unary kernel. */
    public static Op of(UnaryOp kind, double param) {
        return switch (kind) {
            case NEG -> new Neg();
            case EXP -> new Exp();
            case LOG -> new Log();
            case SQRT -> new Sqrt();
            case ABS -> new Abs();
            case POW -> new Pow(param);
            case RELU -> new Relu();
            case ELU -> new Elu(param);
            case TANH -> new Tanh();
            case SIGMOID -> new Sigmoid();
        };
    }

    /** The shared shape rule and kernel call of every unary op. */
    abstract static class Unary implements Op {
        private final UnaryOp kind;
        private final double param;

        Unary(UnaryOp kind, double param) {
            this.kind = kind;
            this.param = param;
        }

        @Override
        public Shape outputShape(Tensor[] in) {
            return in[0].shape();
        }

        @Override
        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.unary(kind, in[0].storage(), param);
        }

        @Override
        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            return new Tensor[] {dx(c.input(0), c.output(), g)};
        }

        /** The rule of a one-input op: the input's gradient from the input x, the output y and the gradient g. */
        abstract Tensor dx(Tensor x, Tensor y, Tensor g);
    }

    /** d(−x) = −1. */
    static final class Neg extends Unary {
        Neg() {
            super(UnaryOp.NEG, 0);
        }

        public Primitive primitive() {
            return Primitive.NEG;
        }

        Tensor dx(Tensor x, Tensor y, Tensor g) {
            return g.neg();
        }
    }

    /** d(e^x) = e^x, the output itself. */
    static final class Exp extends Unary {
        Exp() {
            super(UnaryOp.EXP, 0);
        }

        public Primitive primitive() {
            return Primitive.EXP;
        }

        Tensor dx(Tensor x, Tensor y, Tensor g) {
            return g.mul(y);
        }
    }

    /** d(log x) = 1/x. */
    static final class Log extends Unary {
        Log() {
            super(UnaryOp.LOG, 0);
        }

        public Primitive primitive() {
            return Primitive.LOG;
        }

        Tensor dx(Tensor x, Tensor y, Tensor g) {
            return g.div(x);
        }
    }

    /** d(√x) = 1/(2√x). */
    static final class Sqrt extends Unary {
        Sqrt() {
            super(UnaryOp.SQRT, 0);
        }

        public Primitive primitive() {
            return Primitive.SQRT;
        }

        Tensor dx(Tensor x, Tensor y, Tensor g) {
            return g.div(y.mul(2.0));
        }
    }

    /** d|x| = sign(x), with sign(0) = 0 (the subgradient PyTorch also picks). */
    static final class Abs extends Unary {
        Abs() {
            super(UnaryOp.ABS, 0);
        }

        public Primitive primitive() {
            return Primitive.ABS;
        }

        Tensor dx(Tensor x, Tensor y, Tensor g) {
            return g.mul(x.sign());
        }
    }

    /** d(x^p) = p·x^(p−1). */
    static final class Pow extends Unary {
        private final double exponent;

        Pow(double exponent) {
            super(UnaryOp.POW, exponent);
            this.exponent = exponent;
        }

        public Primitive primitive() {
            return Primitive.POW;
        }

        Tensor dx(Tensor x, Tensor y, Tensor g) {
            if (exponent == 1.0) {
                return g;
            }
            return g.mul(x.pow(exponent - 1).mul(exponent));
        }
    }

    /** d relu(x) = 1 for x > 0, else 0 (relu'(0) = 0 by convention). */
    static final class Relu extends Unary {
        Relu() {
            super(UnaryOp.RELU, 0);
        }

        public Primitive primitive() {
            return Primitive.RELU;
        }

        Tensor dx(Tensor x, Tensor y, Tensor g) {
            return g.mul(x.gt(0));
        }
    }

    /** d elu(x) = 1 for x > 0, else α·e^x = out + α (elu'(0) uses the x ≤ 0 branch, like PyTorch). */
    static final class Elu extends Unary {
        private final double alpha;

        Elu(double alpha) {
            super(UnaryOp.ELU, alpha);
            this.alpha = alpha;
        }

        public Primitive primitive() {
            return Primitive.ELU;
        }

        /** For alpha >= 0 the output's sign is the input's, and the fused {@link EluBackward} applies. */
        Tensor dx(Tensor x, Tensor y, Tensor g) {
            return alpha >= 0 ? y.eluBackward(g, alpha) : x.gt(0).where(g, g.mul(y.add(alpha)));
        }
    }

    /**
     * ELU's gradient g·elu'(x) from its output y (alpha >= 0): y > 0 ? g : g·(y + alpha), inputs (y, g). Linear
     * in g, so its VJP for g is itself; for y it is u·g where y <= 0 (the sign test is piecewise constant).
     */
    public static final class EluBackward implements Op {
        private final double alpha;

        public EluBackward(double alpha) {
            if (!(alpha >= 0)) {
                throw new IllegalArgumentException("elu_backward: needs alpha >= 0 (the output's sign must be the "
                        + "input's), got " + alpha);
            }
            this.alpha = alpha;
        }

        public Primitive primitive() {
            return Primitive.ELU_BACKWARD;
        }

        public Shape outputShape(Tensor[] in) {
            if (!in[0].shape().equals(in[1].shape())) {
                throw new antidote.tensor.ShapeException(name() + ": output " + in[0].shape() + " and gradient "
                        + in[1].shape() + " differ");
            }
            return in[0].shape();
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.eluBackward(in[0].storage(), in[1].storage(), alpha);
        }

        public Tensor[] vjp(Context c, Tensor u, boolean[] needed) {
            Tensor y = c.input(0);
            return Context.each(needed, i -> i == 0 ? y.gt(0).where(u.constant(0, Shape.scalar()), u.mul(c.input(1)))
                    : y.eluBackward(u, alpha));
        }
    }

    /** d tanh(x) = 1 − tanh². */
    static final class Tanh extends Unary {
        Tanh() {
            super(UnaryOp.TANH, 0);
        }

        public Primitive primitive() {
            return Primitive.TANH;
        }

        Tensor dx(Tensor x, Tensor y, Tensor g) {
            return g.mul(y.square().neg().add(1.0));
        }
    }

    /** d σ(x) = σ(1 − σ). */
    static final class Sigmoid extends Unary {
        Sigmoid() {
            super(UnaryOp.SIGMOID, 0);
        }

        public Primitive primitive() {
            return Primitive.SIGMOID;
        }

        Tensor dx(Tensor x, Tensor y, Tensor g) {
            return g.mul(y.mul(y.neg().add(1.0)));
        }
    }
}
