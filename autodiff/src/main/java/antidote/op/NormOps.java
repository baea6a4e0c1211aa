package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.tensor.Dispatch;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.List;

import static antidote.op.ChannelOps.channels;
import static antidote.op.ChannelOps.checkRows;
import static antidote.op.ChannelOps.perChannel;
import static antidote.op.ChannelOps.row;

/**
 * Training-mode batch normalisation over axis 1, y = (x − m)·r·w + b with m, v x's per-channel batch mean and
 * biased variance ({@link ChannelOps.ChannelMoments}) and r = 1/√(v + eps), as fused primitives: the forward, its
 * input gradient, and what differentiating those takes. Each op but {@link BatchNormCombine} gets x's moments
 * M = [m; v] as input 1, a saved value: its rule differentiates through M's dependence on x itself and gives M no
 * gradient, while rules that use M inside a recorded gradient still reach x through M's own node. The gradient
 * sums S = [Σg; Σg·(x − m)] enter batchNormBackward the same way, so their fused kernel runs once per backward
 * pass and serves dx, dw and db.
 */
public final class NormOps {
    private NormOps() {
    }

    /**
     * y = (x − m)·r·w + b, inputs (x, M, w, b). Rule: S = gradSums(x, g), dx = batchNormBackward(x, w, g, S),
     * dw = S₁·r, db = S₀.
     */
    public static final class BatchNorm implements Op {
        private final double eps;

        public BatchNorm(double eps) {
            this.eps = checkEps(eps);
        }

        public Primitive primitive() {
            return Primitive.BATCH_NORM;
        }

        public Shape outputShape(Tensor[] in) {
            return check(name(), in, "weight", 1, "bias", 1);
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.batchNorm(in[0].storage(), out.dims(), in[1].storage(), in[2].storage(), in[3].storage(),
                    eps);
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            Tensor x = c.input(0);
            Tensor moments = c.input(1);
            Tensor sums = Dispatch.apply(new BatchNormGradSums(), x, moments, g);
            return Context.each(needed, i -> switch (i) {
                case 0 -> Dispatch.apply(new BatchNormBackward(eps), x, moments, c.input(2), g, sums);
                case 2 -> row(sums, 1).mul(inverseStd(moments, eps));
                case 3 -> row(sums, 0);
                default -> null;
            });
        }
    }

    /**
     * S = [Σg; Σg·(x − m)] per channel, [2, C], inputs (x, M, g). Rule along V:
     * dx = V₁·(g − ḡ) with ḡ = S₀/n (m's dependence on x included), dg = V₀ + V₁·(x − m).
     */
    public static final class BatchNormGradSums implements Op {
        public Primitive primitive() {
            return Primitive.BATCH_NORM_GRAD_SUMS;
        }

        public Shape outputShape(Tensor[] in) {
            Shape x = check(name(), in, "gradient", 0);
            return Shape.of(2, x.dim(1));
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.batchNormGradSums(in[0].storage(), in[0].shape().dims(), in[1].storage(), in[2].storage());
        }

        public Tensor[] vjp(Context c, Tensor v, boolean[] needed) {
            Tensor x = c.input(0);
            Tensor v1 = row(v, 1);
            return Context.each(needed, i -> switch (i) {
                case 0 -> c.input(2).channelAffine(v1, v1.mul(row(c.output(), 0)).div(-perChannel(x)));
                case 2 -> x.channelAffine(v1, row(v, 0).sub(v1.mul(row(c.input(1), 0))));
                default -> null;
            });
        }
    }

    /**
     * dx = w·r·(g − ḡ − (x − m)·r²·S₁/n), the input gradient of batch norm, inputs (x, M, w, g, S = gradSums(x, g)).
     * Linear and self-adjoint in g, so dg along u is the op again with u; with T = sums(x, g, u) and
     * a1 = mean(u·(g − ḡ)), a2 = mean(u·(x − m)), B = mean(g·(x − m)): dw = n·(r·a1 − r³·B·a2) and
     * dx = w·r³·[(x − m)·(3r²·B·a2 − a1) − a2·(g − ḡ) − B·(u − ū)], one {@link BatchNormCombine} pass.
     */
    public static final class BatchNormBackward implements Op {
        private final double eps;

        public BatchNormBackward(double eps) {
            this.eps = checkEps(eps);
        }

        public Primitive primitive() {
            return Primitive.BATCH_NORM_BACKWARD;
        }

        public Shape outputShape(Tensor[] in) {
            return check(name(), in, "weight", 1, "gradient", 0, "gradient sums", 2);
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.batchNormBackward(in[0].storage(), out.dims(), in[1].storage(), in[2].storage(),
                    in[3].storage(), in[4].storage(), eps);
        }

        public Tensor[] vjp(Context c, Tensor u, boolean[] needed) {
            Tensor x = c.input(0);
            Tensor moments = c.input(1);
            Tensor w = c.input(2);
            Tensor g = c.input(3);
            Tensor t = Dispatch.apply(new BatchNormSums(), x, moments, g, u);
            double n = perChannel(x);
            Tensor r = inverseStd(moments, eps);
            Tensor r3 = r.pow(3);
            Tensor gradMean = row(t, 0).div(n);
            Tensor b = row(t, 1).div(n);
            Tensor uMean = row(t, 2).div(n);
            Tensor uGrad = row(t, 3).div(n).sub(gradMean.mul(uMean));
            Tensor uCentered = row(t, 4).div(n);
            return Context.each(needed, i -> switch (i) {
                case 0 -> {
                    Tensor wr3 = w.mul(r3);
                    Tensor k = stack(row(moments, 0),
                            wr3.mul(r.square().mul(b).mul(uCentered).mul(3).sub(uGrad)),
                            wr3.mul(uCentered).neg(),
                            wr3.mul(b).neg(),
                            wr3.mul(uCentered.mul(gradMean).add(b.mul(uMean))));
                    yield Dispatch.apply(new BatchNormCombine(), x, g, u, k);
                }
                case 2 -> r.mul(uGrad).sub(r3.mul(b).mul(uCentered)).mul(n);
                case 3 -> Dispatch.apply(new BatchNormBackward(eps), x, moments, w, u,
                        stack(row(t, 2), row(t, 4)));
                default -> null;
            });
        }
    }

    /**
     * T = [Σg; Σg·(x − m); Σu; Σu·g; Σu·(x − m)] per channel, [5, C], inputs (x, M, g, u). Rule along V, with
     * ḡ = T₀/n and ū = T₂/n: dx = V₁·(g − ḡ) + V₄·(u − ū), dg = V₀ + V₁·(x − m) + V₃·u, du = V₂ + V₄·(x − m) + V₃·g.
     */
    public static final class BatchNormSums implements Op {
        public Primitive primitive() {
            return Primitive.BATCH_NORM_SUMS;
        }

        public Shape outputShape(Tensor[] in) {
            Shape x = check(name(), in, "gradient", 0, "direction", 0);
            return Shape.of(5, x.dim(1));
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.batchNormSums(in[0].storage(), in[0].shape().dims(), in[1].storage(), in[2].storage(),
                    in[3].storage());
        }

        public Tensor[] vjp(Context c, Tensor v, boolean[] needed) {
            Tensor x = c.input(0);
            Tensor mean = row(c.input(1), 0);
            Tensor g = c.input(2);
            Tensor u = c.input(3);
            double n = perChannel(x);
            Tensor t = c.output();
            return Context.each(needed, i -> switch (i) {
                case 0 -> g.channelAffine(row(v, 1), row(v, 1).mul(row(t, 0)).div(-n))
                        .add(u.channelAffine(row(v, 4), row(v, 4).mul(row(t, 2)).div(-n)));
                case 2 -> x.channelAffine(row(v, 1), row(v, 0).sub(row(v, 1).mul(mean)))
                        .add(u.channelAffine(row(v, 3), null));
                case 3 -> x.channelAffine(row(v, 4), row(v, 2).sub(row(v, 4).mul(mean)))
                        .add(g.channelAffine(row(v, 3), null));
                default -> null;
            });
        }
    }

    /**
     * (x − K₀)·K₁ + g·K₂ + u·K₃ + K₄ per channel, inputs (x, g, u, K [5, C]): linear in each input but K.
     * Rule along U: dx = U·K₁, dg = U·K₂, du = U·K₃, dK = [−K₁·ΣU; Σ U·(x − K₀); Σ U·g; Σ U·u; ΣU].
     */
    public static final class BatchNormCombine implements Op {
        public Primitive primitive() {
            return Primitive.BATCH_NORM_COMBINE;
        }

        public Shape outputShape(Tensor[] in) {
            Shape x = in[0].shape();
            int channels = channels(name(), x);
            checkRows(name(), x, "gradient", in[1].shape(), x);
            checkRows(name(), x, "direction", in[2].shape(), x);
            checkRows(name(), x, "coefficients", in[3].shape(), Shape.of(5, channels));
            return x;
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.batchNormCombine(in[0].storage(), out.dims(), in[1].storage(), in[2].storage(),
                    in[3].storage());
        }

        public Tensor[] vjp(Context c, Tensor u, boolean[] needed) {
            Tensor k = c.input(3);
            return Context.each(needed, i -> {
                if (i < 3) {
                    return u.channelAffine(row(k, i + 1), null);
                }
                Tensor total = u.sum(false, u.nonChannelAxes());
                return stack(row(k, 1).mul(total).neg(),
                        u.channelDot(c.input(0)).sub(row(k, 0).mul(total)),
                        u.channelDot(c.input(1)),
                        u.channelDot(c.input(2)),
                        total);
            });
        }
    }

    /** r = 1/√(v + eps) from the moments [m; v], [C]. */
    private static Tensor inverseStd(Tensor moments, double eps) {
        return row(moments, 1).add(eps).pow(-0.5);
    }

    /** [C] vectors as the rows of a [k, C] tensor. */
    private static Tensor stack(Tensor... rows) {
        return Tensor.concat(0, List.of(rows).stream().map(t -> t.reshape(1, t.size())).toList());
    }

    private static double checkEps(double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("batch norm: eps must be finite and >= 0, got " + eps);
        }
        return eps;
    }

    /**
     * Checks x (input 0, rank >= 2) and its moments (input 1, [2, C]), then each further input named in
     * {@code roles} as (name, rows) pairs: rows 0 means x's shape, 1 a [C] vector, k > 1 a [k, C] tensor.
     */
    private static Shape check(String op, Tensor[] in, Object... roles) {
        Shape x = in[0].shape();
        int channels = channels(op, x);
        checkRows(op, x, "moments", in[1].shape(), Shape.of(2, channels));
        for (int j = 0; j < roles.length / 2; j++) {
            int rows = (Integer) roles[2 * j + 1];
            Shape expected = rows == 0 ? x : rows == 1 ? Shape.of(channels) : Shape.of(rows, channels);
            checkRows(op, x, (String) roles[2 * j], in[j + 2].shape(), expected);
        }
        return x;
    }
}
