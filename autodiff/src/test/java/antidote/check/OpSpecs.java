package antidote.check;

import antidote.backend.BinaryOp;
import antidote.backend.ConvGeometry;
import antidote.core.DType;
import antidote.core.Device;
import antidote.op.NormOps;
import antidote.op.Primitive;
import antidote.tensor.Dispatch;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The gradient-spec table: one entry per registered primitive, with a jqwik generator of shapes (size-1
 * and broadcast dimensions included) and a seed for values, an input domain that keeps finite differences
 * away from kinks and poles, and a tolerance. Every case runs in float64, on the reference backend unless the
 * system property {@value #DEVICE_PROPERTY} names another device (the CUDA module runs the table on its GPU).
 */
public final class OpSpecs {
    /** The system property naming the device the cases' inputs are created on (default: the reference backend). */
    public static final String DEVICE_PROPERTY = "antidote.spec.device";

    private OpSpecs() {
    }

    /** One generated case: float64 inputs on the spec device and the function of them to check. */
    public record Case(String label, List<Tensor> inputs, Function<List<Tensor>, Tensor> f,
                       GradCheck.Tolerance tolerance) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(label).append(" with inputs");
            for (Tensor t : inputs) {
                sb.append(' ').append(t.shape());
            }
            return sb.toString();
        }
    }

    /** How input values are drawn. */
    enum Domain {
        /** Uniform in [-2, 2]. */
        ANY,
        /** Uniform in [0.5, 2]: logs, square roots, divisors. */
        POSITIVE,
        /** |x| in [0.2, 2] with a random sign: away from the kinks of relu, abs and elu. */
        AWAY_FROM_ZERO,
        /** A random permutation of distinct values spaced by 0.1: no ties for max and pooling. */
        DISTINCT
    }

    /** The generators of every primitive, keyed by primitive. */
    public static Map<Primitive, Arbitrary<Case>> all() {
        Map<Primitive, Arbitrary<Case>> m = new EnumMap<>(Primitive.class);
        m.put(Primitive.NEG, unary("neg", Domain.ANY, Tensor::neg));
        m.put(Primitive.EXP, unary("exp", Domain.ANY, Tensor::exp));
        m.put(Primitive.LOG, unary("log", Domain.POSITIVE, Tensor::log));
        m.put(Primitive.SQRT, unary("sqrt", Domain.POSITIVE, Tensor::sqrt));
        m.put(Primitive.ABS, unary("abs", Domain.AWAY_FROM_ZERO, Tensor::abs));
        m.put(Primitive.POW, unary("pow 2.5", Domain.POSITIVE, x -> x.pow(2.5)));
        m.put(Primitive.RELU, unary("relu", Domain.AWAY_FROM_ZERO, Tensor::relu));
        m.put(Primitive.ELU, unary("elu 0.7", Domain.AWAY_FROM_ZERO, x -> x.elu(0.7)));
        m.put(Primitive.ELU_BACKWARD, binarySameShape("eluBackward 0.7 (inputs: output, gradient)",
                Domain.AWAY_FROM_ZERO, (y, g) -> y.eluBackward(g, 0.7).square()));
        m.put(Primitive.TANH, unary("tanh", Domain.ANY, Tensor::tanh));
        m.put(Primitive.SIGMOID, unary("sigmoid", Domain.ANY, Tensor::sigmoid));
        m.put(Primitive.ADD, binary("add", Domain.ANY, Tensor::add));
        m.put(Primitive.SUB, binary("sub", Domain.ANY, Tensor::sub));
        m.put(Primitive.MUL, binary("mul", Domain.ANY, Tensor::mul));
        m.put(Primitive.DIV, binary("div", Domain.POSITIVE, Tensor::div));
        m.put(Primitive.MAXIMUM, binary("maximum", Domain.DISTINCT, Tensor::maximum));
        m.put(Primitive.MINIMUM, binary("minimum", Domain.DISTINCT, Tensor::minimum));
        m.put(Primitive.COMPARE, binary("compare (gt, then scaled so the output is a float)", Domain.DISTINCT,
                (a, b) -> a.gt(b).mul(a)));
        m.put(Primitive.WHERE, where());
        m.put(Primitive.TAKE, take());
        m.put(Primitive.SCATTER_ADD, scatterAdd());
        m.put(Primitive.SUM, sum());
        m.put(Primitive.RESHAPE, reshape());
        m.put(Primitive.PERMUTE, permute());
        m.put(Primitive.EXPAND, expand());
        m.put(Primitive.SLICE, slice());
        m.put(Primitive.PAD, pad());
        m.put(Primitive.CONCAT, concat());
        m.put(Primitive.CAST, cast());
        m.put(Primitive.MATMUL, matmul());
        m.put(Primitive.CONV2D, conv(0));
        m.put(Primitive.CONV2D_BACKWARD_INPUT, conv(1));
        m.put(Primitive.CONV2D_BACKWARD_FILTER, conv(2));
        m.put(Primitive.LOG_SOFTMAX, logSoftmax());
        m.put(Primitive.BATCH_NORM, batchNorm(false));
        m.put(Primitive.BATCH_NORM_BACKWARD, batchNorm(true));
        m.put(Primitive.CHANNEL_AFFINE, channelAffine());
        for (Primitive p : List.of(Primitive.CHANNEL_MOMENTS, Primitive.CHANNEL_DOT, Primitive.BATCH_NORM_GRAD_SUMS,
                Primitive.BATCH_NORM_SUMS, Primitive.BATCH_NORM_COMBINE)) {
            m.put(p, channelPrimitive(p));
        }
        return m;
    }

    // ------------------------------------------------------------------ generators of shapes and values

    /** Shapes of rank 0 to 3 with dimensions 1 to 4. */
    static Arbitrary<int[]> shapes() {
        return Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(0).ofMaxSize(3);
    }

    /** A pair of shapes that broadcast: dims of the second may be 1 or missing in front. */
    static Arbitrary<int[][]> broadcastPair() {
        return Combinators.combine(shapes(), Arbitraries.longs(), Arbitraries.integers().between(0, 2))
                .as((out, seed, drop) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int[] a = out.clone();
                    int[] b = out.clone();
                    for (int k = 0; k < out.length; k++) {
                        int which = r.nextInt(4);
                        if (which == 0) {
                            a[k] = 1;
                        } else if (which == 1) {
                            b[k] = 1;
                        }
                    }
                    int keep = Math.max(0, b.length - drop);
                    return new int[][]{a, Arrays.copyOfRange(b, b.length - keep, b.length)};
                });
    }

    static Tensor tensor(int[] shape, Domain domain, SplittableRandom r) {
        int n = Shape.of(shape).size();
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = switch (domain) {
                case ANY -> r.nextDouble(-2, 2);
                case POSITIVE -> r.nextDouble(0.5, 2);
                case AWAY_FROM_ZERO -> r.nextDouble(0.2, 2) * (r.nextBoolean() ? 1 : -1);
                case DISTINCT -> k * 0.1 - n * 0.05;
            };
        }
        if (domain == Domain.DISTINCT) {
            for (int k = n - 1; k > 0; k--) {
                int j = r.nextInt(k + 1);
                double t = v[k];
                v[k] = v[j];
                v[j] = t;
            }
        }
        return Tensor.fromArray(v, Shape.of(shape), device());
    }

    /** The device named by {@value #DEVICE_PROPERTY}, read per case so a test class can set it first. */
    static Device device() {
        String named = System.getProperty(DEVICE_PROPERTY);
        return named == null || named.isBlank() ? ReferenceBackend.DEVICE : Device.parse(named);
    }

    private static Case of(String label, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return new Case(label, List.of(inputs), f, GradCheck.Tolerance.FLOAT64);
    }

    // ------------------------------------------------------------------ specs

    private static Arbitrary<Case> unary(String label, Domain domain, Function<Tensor, Tensor> op) {
        return Combinators.combine(shapes(), Arbitraries.longs()).as((s, seed) ->
                of(label, x -> op.apply(x.get(0)), tensor(s, domain, new SplittableRandom(seed))));
    }

    private static Arbitrary<Case> binary(String label, Domain domain,
                                          java.util.function.BinaryOperator<Tensor> op) {
        return Combinators.combine(broadcastPair(), Arbitraries.longs()).as((ab, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            Tensor a = tensor(ab[0], domain, r);
            Tensor b = tensor(ab[1], domain, r);
            if (domain == Domain.DISTINCT) {
                // An offset incommensurate with the 0.05 grid: no element of a equals one of b.
                b = b.add(0.0371);
            }
            return of(label, x -> op.apply(x.get(0), x.get(1)), a, b);
        });
    }

    /** Two inputs of one shape (an op without broadcasting). */
    private static Arbitrary<Case> binarySameShape(String label, Domain domain,
                                                   java.util.function.BinaryOperator<Tensor> op) {
        return Combinators.combine(shapes(), Arbitraries.longs()).as((s, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            return of(label, x -> op.apply(x.get(0), x.get(1)), tensor(s, domain, r), tensor(s, domain, r));
        });
    }

    private static Arbitrary<Case> where() {
        return Combinators.combine(broadcastPair(), Arbitraries.longs()).as((ab, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            Tensor a = tensor(ab[0], Domain.ANY, r);
            Tensor b = tensor(ab[1], Domain.ANY, r);
            Tensor mask = tensor(ab[0], Domain.ANY, r).gt(0);
            return of("where", x -> mask.where(x.get(0), x.get(1)), a, b);
        });
    }

    /** Random flat indices (with repeats) into a tensor of {@code size} elements. */
    private static int[] indices(int count, int size, SplittableRandom r) {
        int[] idx = new int[count];
        for (int k = 0; k < count; k++) {
            idx[k] = r.nextInt(size);
        }
        return idx;
    }

    private static Arbitrary<Case> take() {
        return Combinators.combine(shapes(), Arbitraries.integers().between(1, 7), Arbitraries.longs())
                .as((s, count, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    Tensor x = tensor(s, Domain.ANY, r);
                    int[] idx = indices(count, x.size(), r);
                    return of("take " + Arrays.toString(idx), t -> t.get(0).take(idx, Shape.of(count)), x);
                });
    }

    private static Arbitrary<Case> scatterAdd() {
        return Combinators.combine(shapes(), Arbitraries.integers().between(1, 7), Arbitraries.longs())
                .as((s, count, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    Shape out = Shape.of(s);
                    int[] idx = indices(count, out.size(), r);
                    Tensor src = tensor(new int[]{count}, Domain.ANY, r);
                    // Squared so the second order is not trivially zero.
                    return of("scatterAdd " + Arrays.toString(idx), t -> t.get(0).scatterAdd(idx, out).square(), src);
                });
    }

    private static Arbitrary<Case> sum() {
        return Combinators.combine(shapes(), Arbitraries.longs(), Arbitraries.of(true, false)).as((s, seed, keep) -> {
            SplittableRandom r = new SplittableRandom(seed);
            List<Integer> axes = new ArrayList<>();
            for (int a = 0; a < s.length; a++) {
                if (r.nextBoolean()) {
                    axes.add(a);
                }
            }
            int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
            return of("sum over " + axes + (keep ? " keepdim" : ""), t -> t.get(0).sum(keep, ax).square(),
                    tensor(s, Domain.ANY, r));
        });
    }

    private static Arbitrary<Case> reshape() {
        return Combinators.combine(shapes(), Arbitraries.longs()).as((s, seed) -> {
            Tensor x = tensor(s, Domain.ANY, new SplittableRandom(seed));
            int n = x.size();
            // Rank 4 never equals a generated shape (rank <= 3), so the reshape always happens.
            return of("reshape to [1, " + n + ", 1, 1]", t -> t.get(0).reshape(1, n, 1, 1).square(), x);
        });
    }

    private static Arbitrary<Case> permute() {
        return Combinators.combine(shapes(), Arbitraries.longs()).as((s, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            int[] perm = new int[s.length];
            for (int a = 0; a < perm.length; a++) {
                perm[a] = a;
            }
            for (int a = perm.length - 1; a > 0; a--) {
                int j = r.nextInt(a + 1);
                int t = perm[a];
                perm[a] = perm[j];
                perm[j] = t;
            }
            // Multiplying by a fixed ramp makes the result depend on where each element lands.
            return of("permute " + Arrays.toString(perm), t -> {
                Tensor p = t.get(0).permute(perm);
                return p.mul(ramp(p.shape()));
            }, tensor(s, Domain.ANY, r));
        });
    }

    private static Arbitrary<Case> expand() {
        return Combinators.combine(broadcastPair(), Arbitraries.longs()).as((ab, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            int[] broadcast = Shape.broadcast("expand", Shape.of(ab[0]), Shape.of(ab[1])).dims();
            // A leading axis of 2 guarantees that something is actually broadcast.
            int[] out = new int[broadcast.length + 1];
            out[0] = 2;
            System.arraycopy(broadcast, 0, out, 1, broadcast.length);
            Tensor x = tensor(ab[1], Domain.ANY, r);
            return of("expand to " + Arrays.toString(out), t -> {
                Tensor e = t.get(0).expand(out);
                return e.mul(ramp(e.shape())).square();
            }, x);
        });
    }

    private static Arbitrary<Case> slice() {
        return Combinators.combine(shapes().filter(s -> s.length > 0), Arbitraries.longs()).as((s, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            int[] start = new int[s.length];
            int[] size = new int[s.length];
            for (int a = 0; a < s.length; a++) {
                start[a] = r.nextInt(s[a]);
                size[a] = 1 + r.nextInt(s[a] - start[a]);
            }
            return of("slice at " + Arrays.toString(start) + " size " + Arrays.toString(size),
                    t -> t.get(0).slice(start, size).square(), tensor(s, Domain.ANY, r));
        });
    }

    private static Arbitrary<Case> pad() {
        return Combinators.combine(shapes().filter(s -> s.length > 0), Arbitraries.longs()).as((s, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            int[] before = new int[s.length];
            int[] after = new int[s.length];
            for (int a = 0; a < s.length; a++) {
                before[a] = r.nextInt(3);
                after[a] = r.nextInt(3);
            }
            return of("pad " + Arrays.toString(before) + "/" + Arrays.toString(after),
                    t -> {
                        Tensor p = t.get(0).pad(before, after, 0.5);
                        return p.mul(ramp(p.shape())).square();
                    }, tensor(s, Domain.ANY, r));
        });
    }

    private static Arbitrary<Case> concat() {
        return Combinators.combine(shapes().filter(s -> s.length > 0), Arbitraries.longs()).as((s, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            int axis = r.nextInt(s.length);
            int[] s2 = s.clone();
            s2[axis] = 1 + r.nextInt(3);
            return of("concat on axis " + axis, t -> {
                Tensor c = Tensor.concat(axis, List.of(t.get(0), t.get(1), t.get(0)));
                return c.mul(ramp(c.shape())).square();
            }, tensor(s, Domain.ANY, r), tensor(s2, Domain.ANY, r));
        });
    }

    private static Arbitrary<Case> cast() {
        return Combinators.combine(shapes(), Arbitraries.longs()).as((s, seed) -> {
            Tensor x = tensor(s, Domain.ANY, new SplittableRandom(seed)).to(DType.FLOAT32);
            // Float32 round-off needs a larger step and a looser tolerance than float64.
            return new Case("cast float32 -> float64", List.of(x), t -> t.get(0).to(DType.FLOAT64).square(),
                    new GradCheck.Tolerance(1e-2, 1e-3, 1e-4));
        });
    }

    private static Arbitrary<Case> matmul() {
        Arbitrary<Integer> dim = Arbitraries.integers().between(1, 4);
        return Combinators.combine(dim, dim, dim, Arbitraries.integers().between(0, 3), Arbitraries.longs())
                .as((m, k, n, batch, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int[] sa = batch == 0 ? new int[]{m, k} : new int[]{batch, m, k};
                    int[] sb = batch == 0 ? new int[]{k, n} : new int[]{batch, k, n};
                    return of("matmul", t -> t.get(0).matmul(t.get(1)), tensor(sa, Domain.ANY, r),
                            tensor(sb, Domain.ANY, r));
                });
    }

    /** Random convolution geometry; {@code which} picks conv2d (0), its input backward (1) or filter backward (2). */
    private static Arbitrary<Case> conv(int which) {
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 3);
        return Combinators.combine(small, small, small, Arbitraries.integers().between(3, 6), Arbitraries.longs())
                .as((n, c, f, size, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int kh = 1 + r.nextInt(3);
                    int kw = 1 + r.nextInt(3);
                    ConvGeometry g = ConvGeometry.of(1 + r.nextInt(2), r.nextInt(2));
                    int h = Math.max(size, kh);
                    int w = Math.max(size - 1, kw);
                    Shape xs = Shape.of(n, c, h, w);
                    Shape ws = Shape.of(f, c, kh, kw);
                    Shape ys = Shape.of(n, f, g.outH(h, kh), g.outW(w, kw));
                    Tensor x = tensor(xs.dims(), Domain.ANY, r);
                    Tensor wt = tensor(ws.dims(), Domain.ANY, r);
                    Tensor gy = tensor(ys.dims(), Domain.ANY, r);
                    String label = " x" + xs + " w" + ws + " " + g;
                    return switch (which) {
                        case 0 -> r.nextBoolean()
                                ? of("conv2d" + label, t -> t.get(0).conv2d(t.get(1), null, g.strideH(), g.padH())
                                        .square(), x, wt)
                                : of("conv2d with bias" + label, t -> t.get(0).conv2d(t.get(1), t.get(2), g.strideH(),
                                        g.padH()).square(), x, wt, tensor(new int[]{f}, Domain.ANY, r));
                        case 1 -> of("conv2dBackwardInput" + label,
                                t -> t.get(0).conv2dBackwardInput(t.get(1), xs, g).square(), gy, wt);
                        default -> of("conv2dBackwardFilter" + label,
                                t -> t.get(0).conv2dBackwardFilter(t.get(1), ws, g).square(), x, gy);
                    };
                });
    }

    private static Arbitrary<Case> logSoftmax() {
        return Combinators.combine(shapes().filter(s -> s.length > 0), Arbitraries.longs()).as((s, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            int axis = r.nextInt(s.length);
            return of("logSoftmax on axis " + axis, t -> t.get(0).logSoftmax(axis), tensor(s, Domain.ANY, r));
        });
    }

    /**
     * Training batch norm (weighted, so that the output is not a function of its own sum of squares) or its
     * input gradient, on [N, C, ..] with at least two values per channel; eps 0.1 keeps 1/√(v + eps) bounded
     * when a channel's values happen to be close.
     */
    private static Arbitrary<Case> batchNorm(boolean backward) {
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 3);
        return Combinators.combine(small, small, Arbitraries.integers().between(0, 3), Arbitraries.longs())
                .as((n, c, extra, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int[] shape = channelShape(n + 1, c, extra, r);
                    double eps = 0.1;
                    Tensor x = tensor(shape, Domain.ANY, r);
                    Tensor w = tensor(new int[]{c}, Domain.ANY, r);
                    String label = " x" + Arrays.toString(shape) + " eps " + eps;
                    if (backward) {
                        return of("batchNormBackward" + label,
                                t -> t.get(0).batchNormBackward(t.get(1), t.get(2), eps).square(), x, w,
                                tensor(shape, Domain.ANY, r));
                    }
                    return of("batchNormTrain" + label, t -> {
                        Tensor y = t.get(0).batchNormTrain(t.get(1), t.get(2), eps);
                        return y.mul(ramp(y.shape())).square();
                    }, x, w, tensor(new int[]{c}, Domain.ANY, r));
                });
    }

    /** [N, C] (extra 0), [N, C, 2] (1) or [N, C, 1..3, 2] (otherwise): ranks 2 to 4 with channels on axis 1. */
    private static int[] channelShape(int n, int c, int extra, SplittableRandom r) {
        return switch (extra) {
            case 0 -> new int[]{n, c};
            case 1 -> new int[]{n, c, 2};
            default -> new int[]{n, c, 1 + r.nextInt(3), 2};
        };
    }

    /** x·scale + shift per channel, with and without the shift, on ranks 2 to 4. */
    private static Arbitrary<Case> channelAffine() {
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 3);
        return Combinators.combine(small, small, Arbitraries.integers().between(0, 2), Arbitraries.longs())
                .as((n, c, extra, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int[] shape = channelShape(n, c, extra, r);
                    Tensor x = tensor(shape, Domain.ANY, r);
                    Tensor scale = tensor(new int[]{c}, Domain.ANY, r);
                    String label = " x" + Arrays.toString(shape);
                    if (r.nextBoolean()) {
                        return of("channelAffine without shift" + label,
                                t -> t.get(0).channelAffine(t.get(1), null).square(), x, scale);
                    }
                    return of("channelAffine" + label, t -> {
                        Tensor y = t.get(0).channelAffine(t.get(1), t.get(2));
                        return y.mul(ramp(y.shape())).square();
                    }, x, scale, tensor(new int[]{c}, Domain.ANY, r));
                });
    }

    /**
     * The per-channel primitives batch norm's rules are made of, on [N, C, ..]. Moments enter as x's own
     * {@code channelMoments()}, as in batch norm, so the checks see the dependence the rules claim to handle.
     */
    private static Arbitrary<Case> channelPrimitive(Primitive p) {
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 3);
        return Combinators.combine(small, small, Arbitraries.integers().between(0, 2), Arbitraries.longs())
                .as((n, c, extra, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int[] shape = channelShape(n + 1, c, extra, r);
                    Tensor x = tensor(shape, Domain.ANY, r);
                    Tensor g = tensor(shape, Domain.ANY, r);
                    Tensor u = tensor(shape, Domain.ANY, r);
                    String label = " x" + Arrays.toString(shape);
                    return switch (p) {
                        case CHANNEL_MOMENTS -> of("channelMoments" + label,
                                t -> weighted(t.get(0).channelMoments()), x);
                        case CHANNEL_DOT -> of("channelDot" + label,
                                t -> weighted(t.get(0).channelDot(t.get(1))), x, g);
                        case BATCH_NORM_GRAD_SUMS -> of("batchNormGradSums" + label, t -> weighted(Dispatch.apply(
                                new NormOps.BatchNormGradSums(), t.get(0), t.get(0).channelMoments(), t.get(1))), x, g);
                        case BATCH_NORM_SUMS -> of("batchNormSums" + label, t -> weighted(Dispatch.apply(
                                new NormOps.BatchNormSums(), t.get(0), t.get(0).channelMoments(), t.get(1), t.get(2))),
                                x, g, u);
                        default -> of("batchNormCombine" + label, t -> weighted(Dispatch.apply(
                                new NormOps.BatchNormCombine(), t.get(0), t.get(1), t.get(2), t.get(3))),
                                x, g, u, tensor(new int[]{5, c}, Domain.ANY, r));
                    };
                });
    }

    /** y weighted by position and squared, so that the checks see every element and a second order. */
    private static Tensor weighted(Tensor y) {
        return y.mul(ramp(y.shape())).square();
    }

    /**
     * 1, 1 + 1/n, 1 + 2/n, ... shaped like {@code s} (n elements): a fixed weighting that tells positions apart.
     * It stays below 2 so that squared outputs stay small: with weights up to n, the round-off of a central
     * difference (about 1e-16·|f|/step) reached the absolute tolerance on a [4, 4, 9] concat.
     */
    private static Tensor ramp(Shape s) {
        double[] v = new double[s.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = 1 + (double) k / v.length;
        }
        return Tensor.fromArray(v, s, device());
    }
}
