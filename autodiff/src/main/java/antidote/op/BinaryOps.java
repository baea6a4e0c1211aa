package antidote.op;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.Storage;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/** Elementwise arithmetic of two tensors with NumPy broadcasting; rules sum the gradient back to each shape. */
public final class BinaryOps {
    private BinaryOps() {
    }

    /** The shared broadcasting shape rule and kernel call. */
    abstract static class Binary implements Op {
        private final BinaryOp kind;

        Binary(BinaryOp kind) {
            this.kind = kind;
        }

        @Override
        public Shape outputShape(Tensor[] in) {
            return Shape.broadcast(name(), in[0].shape(), in[1].shape());
        }

        @Override
        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.binary(kind, in[0].storage(), in[0].shape().dims(), in[1].storage(), in[1].shape().dims(),
                    out.dims());
        }

        @Override
        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            Tensor a = c.input(0);
            Tensor b = c.input(1);
            return Context.each(needed, i -> (i == 0 ? da(a, b, g) : db(a, b, g)).sumTo(c.input(i).shape()));
        }

        /** The gradient of a, before it is summed back over broadcast axes. */
        abstract Tensor da(Tensor a, Tensor b, Tensor g);

        /** The gradient of b, before it is summed back over broadcast axes. */
        abstract Tensor db(Tensor a, Tensor b, Tensor g);
    }

    /** d(a+b) = (1, 1). */
    public static final class Add extends Binary {
        public Add() {
            super(BinaryOp.ADD);
        }

        public Primitive primitive() {
            return Primitive.ADD;
        }

        Tensor da(Tensor a, Tensor b, Tensor g) {
            return g;
        }

        Tensor db(Tensor a, Tensor b, Tensor g) {
            return g;
        }
    }

    /** d(a−b) = (1, −1). */
    public static final class Sub extends Binary {
        public Sub() {
            super(BinaryOp.SUB);
        }

        public Primitive primitive() {
            return Primitive.SUB;
        }

        Tensor da(Tensor a, Tensor b, Tensor g) {
            return g;
        }

        Tensor db(Tensor a, Tensor b, Tensor g) {
            return g.neg();
        }
    }

    /** d(a·b) = (b, a). */
    public static final class Mul extends Binary {
        public Mul() {
            super(BinaryOp.MUL);
        }

        public Primitive primitive() {
            return Primitive.MUL;
        }

        Tensor da(Tensor a, Tensor b, Tensor g) {
            return g.mul(b);
        }

        Tensor db(Tensor a, Tensor b, Tensor g) {
            return g.mul(a);
        }
    }

    /** d(a/b) = (1/b, −a/b²). */
    public static final class Div extends Binary {
        public Div() {
            super(BinaryOp.DIV);
        }

        public Primitive primitive() {
            return Primitive.DIV;
        }

        Tensor da(Tensor a, Tensor b, Tensor g) {
            return g.div(b);
        }

        Tensor db(Tensor a, Tensor b, Tensor g) {
            return g.mul(a).div(b.square()).neg();
        }
    }

    /** d max(a,b): the gradient goes to a where a ≥ b (ties to the first argument), else to b. */
    public static final class Maximum extends Binary {
        public Maximum() {
            super(BinaryOp.MAX);
        }

        public Primitive primitive() {
            return Primitive.MAXIMUM;
        }

        Tensor da(Tensor a, Tensor b, Tensor g) {
            return a.ge(b).where(g, zero(g));
        }

        Tensor db(Tensor a, Tensor b, Tensor g) {
            return a.ge(b).where(zero(g), g);
        }
    }

    /** d min(a,b): the gradient goes to a where a ≤ b (ties to the first argument), else to b. */
    public static final class Minimum extends Binary {
        public Minimum() {
            super(BinaryOp.MIN);
        }

        public Primitive primitive() {
            return Primitive.MINIMUM;
        }

        Tensor da(Tensor a, Tensor b, Tensor g) {
            return a.le(b).where(g, zero(g));
        }

        Tensor db(Tensor a, Tensor b, Tensor g) {
            return a.le(b).where(zero(g), g);
        }
    }

    /** A scalar 0 of g's dtype, for routing g with where. */
    private static Tensor zero(Tensor g) {
        return g.constant(0, Shape.scalar());
    }
}
