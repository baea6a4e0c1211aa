package antidote.op;

import antidote.backend.Backend;
import antidote.backend.ConvGeometry;
import antidote.backend.Storage;
import antidote.tensor.Dispatch;
import antidote.tensor.Shape;
import antidote.tensor.ShapeException;
import antidote.tensor.Tensor;

/**
 * Convolution as three ops that are each other's VJPs. conv2d is bilinear in (x, w), and its two backward
 * maps are its adjoints: ⟨conv(x,w), g⟩ = ⟨x, bwdInput(g,w)⟩ = ⟨w, bwdFilter(x,g)⟩. Differentiating any
 * of the three therefore gives another of the three, to any order.
 */
public final class ConvOps {
    private ConvOps() {
    }

    /**
     * y = x ⋆ w, plus a bias [F] per output plane when a third input is given (fused into the kernel, which
     * saves a full-size pass and an allocation). VJP: dx = bwdInput(g, w), dw = bwdFilter(x, g), db = Σ g over
     * every axis but 1.
     */
    public static final class Conv2d implements Op {
        private final ConvGeometry geometry;

        public Conv2d(ConvGeometry geometry) {
            this.geometry = geometry;
        }

        public Primitive primitive() {
            return Primitive.CONV2D;
        }

        public Shape outputShape(Tensor[] in) {
            Shape out = convOutput(name(), in[0].shape(), in[1].shape(), geometry);
            if (in.length == 3 && !in[2].shape().equals(Shape.of(out.dim(1)))) {
                throw new ShapeException(name() + ": bias must have one value per filter, " + Shape.of(out.dim(1))
                        + ", got " + in[2].shape());
            }
            return out;
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            int[] xShape = in[0].shape().dims();
            int[] wShape = in[1].shape().dims();
            return in.length == 3
                    ? backend.conv2dBias(in[0].storage(), xShape, in[1].storage(), wShape, in[2].storage(), geometry)
                    : backend.conv2d(in[0].storage(), xShape, in[1].storage(), wShape, geometry);
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            Tensor x = c.input(0);
            Tensor w = c.input(1);
            return Context.each(needed, i -> switch (i) {
                case 0 -> g.conv2dBackwardInput(w, x.shape(), geometry);
                case 1 -> x.conv2dBackwardFilter(g, w.shape(), geometry);
                default -> g.sum(false, g.nonChannelAxes());
            });
        }
    }

    /** dx = bwdInput(g, w), linear in each. VJP along u: dg = conv(u, w), dw = bwdFilter(u, g). */
    public static final class Conv2dBackwardInput implements Op {
        private final ConvGeometry geometry;
        private final Shape inputShape;

        public Conv2dBackwardInput(ConvGeometry geometry, Shape inputShape) {
            this.geometry = geometry;
            this.inputShape = inputShape;
        }

        public Primitive primitive() {
            return Primitive.CONV2D_BACKWARD_INPUT;
        }

        public Shape outputShape(Tensor[] in) {
            Shape expected = convOutput(name(), inputShape, in[1].shape(), geometry);
            if (!expected.equals(in[0].shape())) {
                throw new ShapeException(name() + ": gradient " + in[0].shape() + " does not match the output "
                        + expected + " of input " + inputShape + " and filter " + in[1].shape());
            }
            return inputShape;
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.conv2dBackwardInput(in[0].storage(), in[0].shape().dims(), in[1].storage(),
                    in[1].shape().dims(), out.dims(), geometry);
        }

        public Tensor[] vjp(Context c, Tensor u, boolean[] needed) {
            Tensor g = c.input(0);
            Tensor w = c.input(1);
            return Context.each(needed, i -> i == 0 ? Dispatch.apply(new Conv2d(geometry), u, w)
                    : u.conv2dBackwardFilter(g, w.shape(), geometry));
        }
    }

    /** dw = bwdFilter(x, g), linear in each. VJP along u: dx = bwdInput(g, u), dg = conv(x, u). */
    public static final class Conv2dBackwardFilter implements Op {
        private final ConvGeometry geometry;
        private final Shape filterShape;

        public Conv2dBackwardFilter(ConvGeometry geometry, Shape filterShape) {
            this.geometry = geometry;
            this.filterShape = filterShape;
        }

        public Primitive primitive() {
            return Primitive.CONV2D_BACKWARD_FILTER;
        }

        public Shape outputShape(Tensor[] in) {
            Shape expected = convOutput(name(), in[0].shape(), filterShape, geometry);
            if (!expected.equals(in[1].shape())) {
                throw new ShapeException(name() + ": gradient " + in[1].shape() + " does not match the output "
                        + expected + " of input " + in[0].shape() + " and filter " + filterShape);
            }
            return filterShape;
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.conv2dBackwardFilter(in[0].storage(), in[0].shape().dims(), in[1].storage(),
                    in[1].shape().dims(), out.dims(), geometry);
        }

        public Tensor[] vjp(Context c, Tensor u, boolean[] needed) {
            Tensor x = c.input(0);
            Tensor g = c.input(1);
            return Context.each(needed, i -> i == 0 ? g.conv2dBackwardInput(u, x.shape(), geometry)
                    : Dispatch.apply(new Conv2d(geometry), x, u));
        }
    }

    /** The output shape of conv2d, with a message naming the op and shapes when they do not fit. */
    static Shape convOutput(String op, Shape x, Shape w, ConvGeometry g) {
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(1)) {
            throw new ShapeException(op + ": input " + x + " and filter " + w
                    + " do not fit (expected NCHW input and [F,C,KH,KW] filter with equal C)");
        }
        int oh = g.outH(x.dim(2), w.dim(2));
        int ow = g.outW(x.dim(3), w.dim(3));
        if (x.dim(2) + 2 * g.padH() < w.dim(2) || x.dim(3) + 2 * g.padW() < w.dim(3)) {
            throw new ShapeException(op + ": filter " + w + " is larger than the padded input " + x + " with " + g);
        }
        return Shape.of(x.dim(0), w.dim(0), oh, ow);
    }
}
