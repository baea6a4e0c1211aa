package antidote.op;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.grad.GradMode;
import antidote.tensor.Shape;
import antidote.tensor.ShapeException;
import antidote.tensor.Tensor;

import java.lang.ref.WeakReference;
import java.util.List;

/**
 * Training-mode batch normalisation over axis 1 as two primitives with fused kernels: the normalisation
 * {@code y = (x − m)·r·w + b}, where m and r = 1/√(v + eps) are x's per-channel batch mean and inverse
 * standard deviation, and its input gradient. The VJPs are written with tensor operations, so any order of
 * differentiation works. Each op keeps the batch moments its kernel computed and reuses them as constants
 * where no graph is recorded; when the backward pass is itself recorded, m and v are recomputed from x so
 * that their dependence on x is differentiated too. Evaluation mode, with fixed statistics, is the per-channel
 * affine map {@link ChannelAffine}.
 */
public final class NormOps {
    private NormOps() {
    }

    /** y = (x − m)·r·w + b. VJP: dx = batchNormBackward(x, w, g), dw = Σ g·(x − m)·r, db = Σ g. */
    public static final class BatchNorm implements Op {
        private final double eps;
        private Storage moments;
        /**
         * Σg and Σg·(x − m) for the gradient g they were taken of (held weakly, so that a graph kept alive does not
         * keep a full-size gradient with it): one pass serves the input gradient and both parameter gradients.
         */
        private Storage gradSums;
        private WeakReference<Tensor> gradSumsOf = new WeakReference<>(null);

        public BatchNorm(double eps) {
            this.eps = checkEps(eps);
        }

        public Primitive primitive() {
            return Primitive.BATCH_NORM;
        }

        public Shape outputShape(Tensor[] in) {
            return checkShapes(name(), in[0].shape(), "weight", in[1].shape(), in[2].shape(), "bias", true);
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            int[] shape = in[0].shape().dims();
            moments = backend.channelMoments(in[0].storage(), shape);
            return backend.batchNorm(in[0].storage(), shape, moments, in[1].storage(), in[2].storage(), eps);
        }

        /** The [2, C] batch means and biased variances the forward pass normalised with, not part of any graph. */
        public Tensor moments(Tensor x) {
            return savedMoments(x, moments);
        }

        public Tensor vjp(Tensor[] in, Tensor out, int i, Tensor g) {
            Tensor x = in[0];
            if (i == 0) {
                return Dispatch.apply(new BatchNormBackward(eps, moments, gradSums(x, g)), x, in[1], g);
            }
            if (!GradMode.isEnabled()) {
                return fusedParameterGradient(x, i, g);
            }
            int[] axes = x.nonChannelAxes();
            if (i == 2) {
                return g.sum(false, axes);
            }
            Statistics s = Statistics.of(x, moments, eps);
            return g.mul(x.sub(s.mean())).sum(true, axes).mul(s.inverseStd()).reshape(x.dim(1));
        }

        /** db = Σg and dw = Σg·(x − m)·r where no graph is recorded, from the shared sums. */
        private Tensor fusedParameterGradient(Tensor x, int i, Tensor g) {
            int channels = x.dim(1);
            Tensor sums = Tensor.fromStorage(gradSums(x, g), Shape.of(2, channels), x.device(), null);
            if (i == 2) {
                return sums.slice(0, 0, 1).reshape(channels);
            }
            return sums.slice(0, 1, 2).mul(Statistics.saved(x, moments, eps).inverseStd()).reshape(channels);
        }

        /** {@link Backend#batchNormGradSums} for g, taken once per gradient. */
        private Storage gradSums(Tensor x, Tensor g) {
            if (gradSumsOf.get() != g) {
                gradSums = x.backend().batchNormGradSums(x.storage(), x.shape().dims(), moments, g.storage());
                gradSumsOf = new WeakReference<>(g);
            }
            return gradSums;
        }
    }

    /**
     * dx = w·r·(g − mean(g) − x̂·mean(g·x̂)) with x̂ = (x − m)·r, for inputs (x, w, g). It is linear and
     * self-adjoint in g, so its VJP along u for g is the op again with u; for x and w the VJP is the closed
     * form of differentiating ⟨u, dx⟩ = w·(r·Σu·(g − ḡ) − r³·B·Σu·c) with c = x − m and B = mean(g·c).
     */
    public static final class BatchNormBackward implements Op {
        private final double eps;
        private final Storage moments;
        /** {@link Backend#batchNormGradSums} of (x, g) when the caller already has them, else null. */
        private final Storage gradSums;
        /** The fused VJP's per-channel sums and the cotangent they were taken along (held weakly, as above). */
        private Tensor sums;
        private WeakReference<Tensor> sumsAlong = new WeakReference<>(null);

        BatchNormBackward(double eps, Storage moments, Storage gradSums) {
            this.eps = eps;
            this.moments = moments;
            this.gradSums = gradSums;
        }

        /** The op at x, computing x's batch moments now. */
        public static BatchNormBackward at(Tensor x, double eps) {
            checkEps(eps);
            if (x.rank() < 2) {
                throw new ShapeException("batch_norm_backward: x must have rank >= 2, got " + x.shape());
            }
            return new BatchNormBackward(eps, x.backend().channelMoments(x.storage(), x.shape().dims()), null);
        }

        public Primitive primitive() {
            return Primitive.BATCH_NORM_BACKWARD;
        }

        public Shape outputShape(Tensor[] in) {
            return checkShapes(name(), in[0].shape(), "weight", in[1].shape(), in[2].shape(), "gradient", false);
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            int[] shape = in[0].shape().dims();
            Storage sums = gradSums != null ? gradSums
                    : backend.batchNormGradSums(in[0].storage(), shape, moments, in[2].storage());
            return backend.batchNormBackward(in[0].storage(), shape, moments, in[1].storage(), in[2].storage(), sums,
                    eps);
        }

        public Tensor vjp(Tensor[] in, Tensor out, int i, Tensor u) {
            Tensor x = in[0];
            if (i == 2) {
                return Dispatch.apply(new BatchNormBackward(eps, moments, null), x, in[1], u);
            }
            return GradMode.isEnabled() ? composedVjp(in, i, u) : fusedVjp(in, i, u);
        }

        /**
         * With a1 = mean(u·(g − ḡ)), a2 = mean(u·c), B = mean(g·c):
         * d/dw = n·(r·a1 − r³·B·a2) and d/dx = w·r³·[c·(3r²·B·a2 − a1) − a2·(g − ḡ) − B·(u − ū)].
         */
        private Tensor composedVjp(Tensor[] in, int i, Tensor u) {
            Tensor x = in[0];
            Tensor g = in[2];
            int[] axes = x.nonChannelAxes();
            Statistics s = Statistics.of(x, moments, eps);
            Tensor r = s.inverseStd();
            Tensor r3 = r.pow(3);
            Tensor centered = x.sub(s.mean());
            Tensor gradCentered = g.sub(g.mean(true, axes));
            Tensor b = g.mul(centered).mean(true, axes);
            Tensor uCentered = u.mul(centered).mean(true, axes);
            Tensor uGrad = u.mul(gradCentered).mean(true, axes);
            if (i == 1) {
                double n = (double) x.size() / x.dim(1);
                return r.mul(uGrad).sub(r3.mul(b).mul(uCentered)).mul(n).reshape(x.dim(1));
            }
            Tensor cFactor = r.square().mul(b).mul(uCentered).mul(3).sub(uGrad);
            Tensor sum = centered.mul(cFactor).sub(gradCentered.mul(uCentered))
                    .sub(u.sub(u.mean(true, axes)).mul(b));
            return sum.mul(x.channelView(in[1]).mul(r3));
        }

        /**
         * The same closed form where no graph is recorded: the per-channel sums in one fused pass (kept for the
         * other input's VJP along the same u), the coefficients on [C] tensors, then one fused full-size pass
         * for x: dx = c·kc + g·kg + u·ku + k0.
         */
        private Tensor fusedVjp(Tensor[] in, int i, Tensor u) {
            Tensor x = in[0];
            int channels = x.dim(1);
            if (sumsAlong.get() != u) {
                sums = Tensor.fromStorage(x.backend().batchNormSums(x.storage(), x.shape().dims(), moments,
                        in[2].storage(), u.storage()), Shape.of(5, channels), x.device(), null);
                sumsAlong = new WeakReference<>(u);
            }
            double n = (double) x.size() / channels;
            Statistics saved = Statistics.saved(x, moments, eps);
            Tensor mean = saved.mean();
            Tensor r = saved.inverseStd();
            Tensor r3 = r.pow(3);
            Tensor gradMean = sums.slice(0, 0, 1).div(n);
            Tensor b = sums.slice(0, 1, 2).div(n);
            Tensor uMean = sums.slice(0, 2, 3).div(n);
            Tensor uGrad = sums.slice(0, 3, 4).div(n).sub(gradMean.mul(uMean));
            Tensor uCentered = sums.slice(0, 4, 5).div(n);
            if (i == 1) {
                return r.mul(uGrad).sub(r3.mul(b).mul(uCentered)).mul(n).reshape(channels);
            }
            Tensor wr3 = in[1].reshape(1, channels).mul(r3);
            Tensor coefficients = Tensor.concat(0, List.of(mean,
                    wr3.mul(r.square().mul(b).mul(uCentered).mul(3).sub(uGrad)),
                    wr3.mul(uCentered).neg(),
                    wr3.mul(b).neg(),
                    wr3.mul(uCentered.mul(gradMean).add(b.mul(uMean)))));
            return Tensor.fromStorage(x.backend().batchNormCombine(x.storage(), x.shape().dims(), in[2].storage(),
                    u.storage(), coefficients.storage()), x.shape(), x.device(), null);
        }
    }

    /** x's per-channel mean and 1/√(variance + eps), shaped [1, C] or [1, C, 1, ..]. */
    private record Statistics(Tensor mean, Tensor inverseStd) {
        /**
         * Shaped [1, C, 1, ..] to broadcast against x: from the saved moments, or recomputed from x while a graph
         * is recorded, so that their dependence on x is differentiated too.
         */
        static Statistics of(Tensor x, Storage moments, double eps) {
            if (GradMode.isEnabled() && x.requiresGrad()) {
                int[] axes = x.nonChannelAxes();
                Tensor mean = x.mean(true, axes);
                Tensor variance = x.sub(mean).square().mean(true, axes);
                return new Statistics(mean, variance.add(eps).pow(-0.5));
            }
            Statistics saved = saved(x, moments, eps);
            return new Statistics(x.channelView(saved.mean()), x.channelView(saved.inverseStd()));
        }

        /** From the saved moments as constants, shaped [1, C]. */
        static Statistics saved(Tensor x, Storage moments, double eps) {
            Tensor both = savedMoments(x, moments);
            return new Statistics(both.slice(0, 0, 1), both.slice(0, 1, 2).add(eps).pow(-0.5));
        }
    }

    /**
     * y = x·scale + shift per channel, scale and shift [C] (shift may be left out: 0). One full-size pass, where
     * a broadcast multiply and add take two and allocate twice. VJP: dx = channelAffine(g, scale),
     * dscale = Σ g·x, dshift = Σ g over every axis but 1.
     */
    public static final class ChannelAffine implements Op {
        public Primitive primitive() {
            return Primitive.CHANNEL_AFFINE;
        }

        public Shape outputShape(Tensor[] in) {
            Shape shift = in.length == 3 ? in[2].shape() : in[1].shape();
            return checkShapes(name(), in[0].shape(), "scale", in[1].shape(), shift, "shift", true);
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return backend.channelAffine(in[0].storage(), out.dims(), in[1].storage(),
                    in.length == 3 ? in[2].storage() : null);
        }

        public Tensor vjp(Tensor[] in, Tensor out, int i, Tensor g) {
            Tensor x = in[0];
            return switch (i) {
                case 0 -> Dispatch.apply(new ChannelAffine(), g, in[1]);
                case 1 -> GradMode.isEnabled() ? g.mul(x).sum(false, x.nonChannelAxes())
                        : Tensor.fromStorage(x.backend().channelDot(g.storage(), x.storage(), x.shape().dims()),
                                Shape.of(x.dim(1)), x.device(), null);
                default -> g.sum(false, x.nonChannelAxes());
            };
        }
    }

    /** The [2, C] moments storage of x's channels as a constant tensor (means, then biased variances). */
    private static Tensor savedMoments(Tensor x, Storage moments) {
        return Tensor.fromStorage(moments, Shape.of(2, x.dim(1)), x.device(), null);
    }

    private static double checkEps(double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("batch norm: eps must be finite and >= 0, got " + eps);
        }
        return eps;
    }

    /** Checks x (rank >= 2), a per-channel [C] input and {@code other} ([C] or x's shape); returns x's shape. */
    private static Shape checkShapes(String op, Shape x, String perChannelName, Shape perChannelInput, Shape other,
                                     String otherName, boolean otherPerChannel) {
        if (x.rank() < 2) {
            throw new ShapeException(op + ": x must have rank >= 2 with channels on axis 1, got " + x);
        }
        Shape perChannel = Shape.of(x.dim(1));
        Shape expected = otherPerChannel ? perChannel : x;
        if (!perChannelInput.equals(perChannel) || !other.equals(expected)) {
            throw new ShapeException(op + ": for x " + x + " need " + perChannelName + " " + perChannel + " and "
                    + otherName + " " + expected + ", got " + perChannelInput + " and " + other);
        }
        return x;
    }
}
