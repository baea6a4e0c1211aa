package antidote.privacy;

import java.util.stream.IntStream;

/**
 * Rényi-DP accountant of the sampled Gaussian mechanism (Mironov, Talwar and Zhang, 2019, "Rényi Differential
 * Privacy of the Sampled Gaussian Mechanism", §3.3), at integer orders α only, as TensorFlow Privacy's and
 * Opacus's {@code _compute_log_a_int}: one step with sampling rate q and noise multiplier σ has
 * RDP(α) = log(A_α)/(α−1), A_α = Σ_{i=0..α} C(α,i)·(1−q)^(α−i)·q^i·exp((i²−i)/(2σ²)), summed in log space; T steps
 * compose to T·RDP(α). It is converted to (ε, δ) with the classic conversion (Mironov 2017, Proposition 3):
 * ε = min_α T·RDP(α) + log(1/δ)/(α−1). Restricting α to integers (fractional orders need a series this class
 * does not implement) can only make ε larger, never understate it.
 */
public final class RdpAccountant {
    /** Orders 2 to 64, then a few large ones for small ε at little noise. */
    public static final int[] DEFAULT_ORDERS = IntStream.concat(IntStream.rangeClosed(2, 64),
            IntStream.of(80, 96, 128, 256)).toArray();

    /** ε at δ and the order α that attained it. */
    public record Spent(double epsilon, int order) {
    }

    private RdpAccountant() {
    }

    /** RDP of one step of the sampled Gaussian mechanism at integer order {@code order} ≥ 2. */
    public static double rdp(double q, double sigma, int order) {
        if (order < 2) {
            throw new IllegalArgumentException("RDP order must be an integer >= 2, got " + order);
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate must be in [0, 1], got " + q);
        }
        if (q == 0) {
            return 0;
        }
        if (sigma == 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
            return order / (2 * sigma * sigma);
        }
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double logBinomial = 0;   // log C(α, i), built up term by term
        double[] terms = new double[order + 1];
        for (int i = 0; i <= order; i++) {
            if (i > 0) {
                logBinomial += Math.log(order - i + 1) - Math.log(i);
            }
            terms[i] = logBinomial + i * logQ + (order - i) * log1mQ + (i * (double) i - i) / (2 * sigma * sigma);
        }
        return logSumExp(terms) / (order - 1);
    }

    /** ε at {@code delta} after {@code steps} steps at rate q and noise σ, over {@link #DEFAULT_ORDERS}. */
    public static Spent spent(double q, double sigma, long steps, double delta) {
        return spent(q, sigma, steps, delta, DEFAULT_ORDERS);
    }

    /** ε at {@code delta} after {@code steps} steps at rate q and noise σ, minimised over {@code orders}. */
    public static Spent spent(double q, double sigma, long steps, double delta, int[] orders) {
        double[] total = new double[orders.length];
        for (int k = 0; k < orders.length; k++) {
            total[k] = steps * rdp(q, sigma, orders[k]);
        }
        return epsilon(total, orders, delta);
    }

    /** The classic conversion of accumulated RDP values {@code rdp[k]} at {@code orders[k]} to ε at δ. */
    public static Spent epsilon(double[] rdp, int[] orders, double delta) {
        double best = Double.POSITIVE_INFINITY;
        int bestOrder = orders[0];
        for (int k = 0; k < orders.length; k++) {
            double eps = rdp[k] + Math.log(1 / delta) / (orders[k] - 1);
            if (eps < best) {
                best = eps;
                bestOrder = orders[k];
            }
        }
        return new Spent(best, bestOrder);
    }

    private static double logSumExp(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        if (Double.isInfinite(max)) {
            return max;
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
