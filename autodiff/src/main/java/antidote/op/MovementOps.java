package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.core.DType;
import antidote.tensor.Shape;
import antidote.tensor.ShapeException;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Ops that move elements without arithmetic; each rule is another movement (slice ↔ pad, expand ↔ sum). */
public final class MovementOps {
    private MovementOps() {
    }

    /** Resolves a requested shape with at most one −1 against {@code from}'s element count. */
    public static Shape inferShape(Shape from, int[] dims) {
        int unknown = -1;
        long known = 1;
        for (int a = 0; a < dims.length; a++) {
            if (dims[a] == -1) {
                if (unknown >= 0) {
                    throw new ShapeException("reshape: more than one -1 in " + Arrays.toString(dims));
                }
                unknown = a;
            } else {
                known *= dims[a];
            }
        }
        int[] out = dims.clone();
        if (unknown >= 0) {
            if (known == 0 || from.size() % known != 0) {
                throw new ShapeException("reshape: cannot infer -1 in " + Arrays.toString(dims) + " for " + from);
            }
            out[unknown] = (int) (from.size() / known);
        }
        Shape target = Shape.of(out);
        if (target.size() != from.size()) {
            throw new ShapeException("reshape: " + from + " (" + from.size() + " elements) cannot become "
                    + target + " (" + target.size() + " elements)");
        }
        return target;
    }

    /** Same row-major elements under a new shape; the storage is shared. VJP: reshape back. */
    public static final class Reshape implements Op {
        private final Shape target;

        public Reshape(Shape target) {
            this.target = target;
        }

        public Primitive primitive() {
            return Primitive.RESHAPE;
        }

        public Shape outputShape(Tensor[] in) {
            return inferShape(in[0].shape(), target.dims());
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return in[0].storage();
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            return new Tensor[] {g.reshape(c.input(0).shape().dims())};
        }
    }

    /** Reorders axes: out axis a is input axis perm[a]. VJP: the inverse permutation. */
    public static final class Permute implements Op {
        private final int[] perm;

        public Permute(int[] perm) {
            this.perm = perm.clone();
        }

        public Primitive primitive() {
            return Primitive.PERMUTE;
        }

        public Shape outputShape(Tensor[] in) {
            Shape s = in[0].shape();
            boolean[] seen = new boolean[s.rank()];
            if (perm.length != s.rank()) {
                throw new ShapeException("permute: " + Arrays.toString(perm) + " does not fit shape " + s);
            }
            int[] out = new int[perm.length];
            for (int a = 0; a < perm.length; a++) {
                if (perm[a] < 0 || perm[a] >= s.rank() || seen[perm[a]]) {
                    throw new ShapeException("permute: " + Arrays.toString(perm) + " is not a permutation of the "
                            + s.rank() + " axes of " + s);
                }
                seen[perm[a]] = true;
                out[a] = s.dim(perm[a]);
            }
            return Shape.of(out);
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.permute(in[0].storage(), in[0].shape().dims(), perm);
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            int[] inverse = new int[perm.length];
            for (int a = 0; a < perm.length; a++) {
                inverse[perm[a]] = a;
            }
            return new Tensor[] {g.permute(inverse)};
        }
    }

    /** Stretches size-1 axes of a same-rank tensor. VJP: sum over the stretched axes. */
    public static final class Expand implements Op {
        private final Shape target;

        public Expand(Shape target) {
            this.target = target;
        }

        public Primitive primitive() {
            return Primitive.EXPAND;
        }

        public Shape outputShape(Tensor[] in) {
            Shape s = in[0].shape();
            boolean ok = s.rank() == target.rank();
            for (int a = 0; ok && a < s.rank(); a++) {
                ok = s.dim(a) == target.dim(a) || s.dim(a) == 1;
            }
            if (!ok) {
                throw new ShapeException("expand: cannot broadcast " + s + " to " + target);
            }
            return target;
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.expand(in[0].storage(), in[0].shape().dims(), out.dims());
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            return new Tensor[] {g.sumTo(c.input(0).shape())};
        }
    }

    /** A box of the input. VJP: pad the gradient with zeros back to the input shape. */
    public static final class Slice implements Op {
        private final int[] start;
        private final Shape extent;

        public Slice(int[] start, Shape extent) {
            this.start = start;
            this.extent = extent;
        }

        public Primitive primitive() {
            return Primitive.SLICE;
        }

        public Shape outputShape(Tensor[] in) {
            Shape s = in[0].shape();
            boolean ok = start.length == s.rank() && extent.rank() == s.rank();
            for (int a = 0; ok && a < s.rank(); a++) {
                ok = start[a] >= 0 && start[a] + extent.dim(a) <= s.dim(a);
            }
            if (!ok) {
                throw new ShapeException("slice: box at " + Arrays.toString(start) + " of extent " + extent
                        + " does not fit inside " + s);
            }
            return extent;
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.slice(in[0].storage(), in[0].shape().dims(), start, out.dims());
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            int[] after = new int[start.length];
            for (int a = 0; a < after.length; a++) {
                after[a] = c.input(0).dim(a) - start[a] - extent.dim(a);
            }
            return new Tensor[] {g.pad(start, after, 0)};
        }
    }

    /** Constant padding. VJP: slice the gradient back out (the constant gets none). */
    public static final class Pad implements Op {
        private final int[] before;
        private final int[] after;
        private final double value;

        public Pad(int[] before, int[] after, double value) {
            this.before = before;
            this.after = after;
            this.value = value;
        }

        public Primitive primitive() {
            return Primitive.PAD;
        }

        public Shape outputShape(Tensor[] in) {
            Shape s = in[0].shape();
            if (before.length != s.rank() || after.length != s.rank()) {
                throw new ShapeException("pad: padding " + Arrays.toString(before) + "/" + Arrays.toString(after)
                        + " does not fit shape " + s);
            }
            int[] out = new int[s.rank()];
            for (int a = 0; a < out.length; a++) {
                if (before[a] < 0 || after[a] < 0) {
                    throw new ShapeException("pad: negative padding " + Arrays.toString(before) + "/"
                            + Arrays.toString(after) + "; use slice to crop");
                }
                out[a] = s.dim(a) + before[a] + after[a];
            }
            return Shape.of(out);
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.pad(in[0].storage(), in[0].shape().dims(), before, out.dims(), value);
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            return new Tensor[] {g.slice(before, c.input(0).shape().dims())};
        }
    }

    /** Joins inputs along an axis. VJP: the slice of the gradient where each input landed. */
    public static final class Concat implements Op {
        private final int axis;

        public Concat(int axis) {
            this.axis = axis;
        }

        public Primitive primitive() {
            return Primitive.CONCAT;
        }

        public Shape outputShape(Tensor[] in) {
            Shape first = in[0].shape();
            int a = first.axis(axis);
            int total = 0;
            for (Tensor t : in) {
                Shape s = t.shape();
                boolean ok = s.rank() == first.rank();
                for (int d = 0; ok && d < s.rank(); d++) {
                    ok = d == a || s.dim(d) == first.dim(d);
                }
                if (!ok) {
                    throw new ShapeException("concat: shapes " + first + " and " + s + " differ off axis " + a);
                }
                total += s.dim(a);
            }
            return first.with(a, total);
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            List<Storage> parts = new ArrayList<>();
            List<int[]> shapes = new ArrayList<>();
            for (Tensor t : in) {
                parts.add(t.storage());
                shapes.add(t.shape().dims());
            }
            return backend.concat(parts, shapes, in[0].shape().axis(axis), out.dims());
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            Tensor[] in = c.inputs();
            int a = in[0].shape().axis(axis);
            Tensor[] grads = new Tensor[in.length];
            int offset = 0;
            for (int i = 0; i < in.length; i++) {
                if (needed[i]) {
                    grads[i] = g.slice(a, offset, offset + in[i].dim(a));
                }
                offset += in[i].dim(a);
            }
            return grads;
        }
    }

    /** Changes the element type. VJP: cast the gradient back to the input's type. */
    public static final class Cast implements Op {
        private final DType target;

        public Cast(DType target) {
            this.target = target;
        }

        public Primitive primitive() {
            return Primitive.CAST;
        }

        public Shape outputShape(Tensor[] in) {
            return in[0].shape();
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.cast(in[0].storage(), target);
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            return new Tensor[] {g.to(c.input(0).dtype())};
        }
    }
}
