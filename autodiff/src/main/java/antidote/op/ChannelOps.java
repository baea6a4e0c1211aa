package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.tensor.Shape;
import antidote.tensor.ShapeException;
import antidote.tensor.Tensor;

/**
 * Per-channel primitives over axis 1 of a tensor of rank >= 2, each one fused pass: the batch moments, an affine
 * map and a dot product. Their rules are written with each other (and sum), so the family closes under
 * differentiation like the convolutions do; batch normalisation is built on them.
 */
public final class ChannelOps {
    private ChannelOps() {
    }

    /**
     * M = [mean; biased variance] of each channel over every axis but 1, shaped [2, C]. Rule along U:
     * dx = x·(2/n)·U₁ + (U₀ − 2·U₁·mean)/n, one channelAffine pass (n values per channel).
     */
    public static final class ChannelMoments implements Op {
        public Primitive primitive() {
            return Primitive.CHANNEL_MOMENTS;
        }

        public Shape outputShape(Tensor[] in) {
            return Shape.of(2, channels(name(), in[0].shape()));
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.channelMoments(in[0].storage(), in[0].shape().dims());
        }

        public Tensor[] vjp(Context c, Tensor u, boolean[] needed) {
            Tensor x = c.input(0);
            double n = perChannel(x);
            Tensor u1 = row(u, 1);
            Tensor shift = row(u, 0).sub(u1.mul(row(c.output(), 0)).mul(2)).div(n);
            return new Tensor[] {x.channelAffine(u1.mul(2 / n), shift)};
        }
    }

    /**
     * y = x·scale + shift per channel, scale and shift [C] (shift may be left out: 0). One full-size pass, where a
     * broadcast multiply and add take two and allocate twice. Rule: dx = channelAffine(g, scale),
     * dscale = channelDot(g, x), dshift = Σ g over every axis but 1.
     */
    public static final class ChannelAffine implements Op {
        public Primitive primitive() {
            return Primitive.CHANNEL_AFFINE;
        }

        public Shape outputShape(Tensor[] in) {
            Shape x = in[0].shape();
            int c = channels(name(), x);
            for (int i = 1; i < in.length; i++) {
                checkRows(name(), x, i == 1 ? "scale" : "shift", in[i].shape(), Shape.of(c));
            }
            return x;
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.channelAffine(in[0].storage(), out.dims(), in[1].storage(),
                    in.length == 3 ? in[2].storage() : null);
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            return Context.each(needed, i -> switch (i) {
                case 0 -> g.channelAffine(c.input(1), null);
                case 1 -> g.channelDot(c.input(0));
                default -> g.sum(false, g.nonChannelAxes());
            });
        }
    }

    /**
     * d[c] = Σ a·b over every axis but 1, [C]; bilinear. Rule along U: da = channelAffine(b, U),
     * db = channelAffine(a, U).
     */
    public static final class ChannelDot implements Op {
        public Primitive primitive() {
            return Primitive.CHANNEL_DOT;
        }

        public Shape outputShape(Tensor[] in) {
            Shape a = in[0].shape();
            checkRows(name(), a, "second factor", in[1].shape(), a);
            return Shape.of(channels(name(), a));
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.channelDot(in[0].storage(), in[1].storage(), in[0].shape().dims());
        }

        public Tensor[] vjp(Context c, Tensor u, boolean[] needed) {
            return Context.each(needed, i -> c.input(1 - i).channelAffine(u, null));
        }
    }

    /** Row k of a [rows, C] tensor, as [C]. */
    static Tensor row(Tensor rows, int k) {
        return rows.slice(0, k, k + 1).reshape(rows.dim(1));
    }

    /** The number of values each channel of x holds. */
    static double perChannel(Tensor x) {
        return (double) x.size() / x.dim(1);
    }

    /** x's channel count C; x must have rank >= 2 with channels on axis 1. */
    static int channels(String op, Shape x) {
        if (x.rank() < 2) {
            throw new ShapeException(op + ": x must have rank >= 2 with channels on axis 1, got " + x);
        }
        return x.dim(1);
    }

    /** Refuses an input named {@code role} whose shape is not {@code expected}, naming x's shape. */
    static void checkRows(String op, Shape x, String role, Shape actual, Shape expected) {
        if (!actual.equals(expected)) {
            throw new ShapeException(op + ": for x " + x + " need " + role + " " + expected + ", got " + actual);
        }
    }
}
