package antidote.op;

import antidote.backend.Backend;
import antidote.backend.BinaryOp;
import antidote.backend.Storage;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/** Elementwise arithmetic of two tensors with NumPy broadcasting; VJPs sum the gradient back to each shape. */
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
    }

    /** d(a+b) = (1, 1). */
    public static final class Add extends Binary {
        public Add() {
            super(BinaryOp.ADD);
        }

        public Primitive primitive() {
            return Primitive.ADD;
        }

        public Tensor vjp(Tensor[] in, Tensor out, int i, Tensor g) {
            return g.sumTo(in[i].shape());
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

        public Tensor vjp(Tensor[] in, Tensor out, int i, Tensor g) {
            return (i == 0 ? g : g.neg()).sumTo(in[i].shape());
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

        public Tensor vjp(Tensor[] in, Tensor out, int i, Tensor g) {
            return g.mul(in[1 - i]).sumTo(in[i].shape());
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

        public Tensor vjp(Tensor[] in, Tensor out, int i, Tensor g) {
            Tensor d = i == 0 ? g.div(in[1]) : g.mul(in[0]).div(in[1].square()).neg();
            return d.sumTo(in[i].shape());
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

        public Tensor vjp(Tensor[] in, Tensor out, int i, Tensor g) {
            return routeToWinner(in, i, g, in[0].ge(in[1]));
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

        public Tensor vjp(Tensor[] in, Tensor out, int i, Tensor g) {
            return routeToWinner(in, i, g, in[0].le(in[1]));
        }
    }

    /** Sends g to input 0 where {@code firstWins}, to input 1 elsewhere. */
    private static Tensor routeToWinner(Tensor[] in, int i, Tensor g, Tensor firstWins) {
        Tensor zero = g.constant(0, Shape.scalar());
        Tensor d = i == 0 ? firstWins.where(g, zero) : firstWins.where(zero, g);
        return d.sumTo(in[i].shape());
    }
}
