package antidote.privacy;

import antidote.grad.GradMode;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The privatised gradient of one DP-SGD step (Abadi et al., 2016, Algorithm 1): each sample's gradient, over all
 * parameters together, is scaled by min(1, C/(‖g_n‖ + 10⁻⁶)) so its norm is at most C (the 10⁻⁶, as in Opacus,
 * keeps a zero gradient finite); the scaled gradients are summed, N(0, σ²C²) noise is added to every coordinate,
 * and the result is divided by the expected batch size, so that the noise does not depend on how many samples a
 * Poisson batch happened to draw.
 */
public final class GradientPrivatizer {
    private static final double NORM_FLOOR = 1e-6;

    private final double clip;
    private final double noiseStd;
    private final double expectedBatch;

    /** Clips to {@code settings.clip()}, adds σ·C noise, divides by {@code expectedBatch}. */
    public GradientPrivatizer(DpSettings settings, double expectedBatch) {
        if (!(expectedBatch > 0)) {
            throw new IllegalArgumentException("expected batch size must be positive, got " + expectedBatch);
        }
        this.clip = settings.clip();
        this.noiseStd = settings.noise() * settings.clip();
        this.expectedBatch = expectedBatch;
    }

    /** Each sample's factor min(1, C/(‖g_n‖ + 10⁻⁶)), its norm taken over every parameter's [N, ...] gradient. */
    public double[] clipFactors(List<Tensor> perSample) {
        double[] norms = squaredNorms(perSample);
        double[] factors = new double[norms.length];
        for (int n = 0; n < norms.length; n++) {
            factors[n] = Math.min(1, clip / (Math.sqrt(norms[n]) + NORM_FLOOR));
        }
        return factors;
    }

    /** Each sample's squared gradient norm over all parameters. */
    public static double[] squaredNorms(List<Tensor> perSample) {
        int n = perSample.get(0).dim(0);
        double[] out = new double[n];
        try (var off = GradMode.disabled()) {
            for (Tensor g : perSample) {
                double[] rows = g.reshape(n, g.size() / n).square().sum(false, 1).toDoubleArray();
                for (int i = 0; i < n; i++) {
                    out[i] += rows[i];
                }
            }
        }
        return out;
    }

    /** (Σ_n clipped g_n + noise) / expected batch for each parameter, shaped like the parameter. */
    public List<Tensor> privatize(List<Tensor> perSample, RandomGenerator rng) {
        return noised(clippedSum(perSample), rng);
    }

    /** Σ_n clipped g_n for each parameter, shaped like the parameter: the part of a step one group of samples adds. */
    public List<Tensor> clippedSum(List<Tensor> perSample) {
        double[] factors = clipFactors(perSample);
        int n = factors.length;
        List<Tensor> out = new ArrayList<>(perSample.size());
        try (var off = GradMode.disabled()) {
            Tensor weights = null;
            for (Tensor g : perSample) {
                if (weights == null) {
                    weights = Tensor.fromArray(factors, 1, n).to(g.device()).to(g.dtype());
                }
                int[] shape = java.util.Arrays.copyOfRange(g.shape().dims(), 1, g.rank());
                out.add(weights.matmul(g.reshape(n, g.size() / n)).reshape(shape));
            }
        }
        return out;
    }

    /** (sum + noise) / expected batch for each parameter's clipped sum. */
    public List<Tensor> noised(List<Tensor> sums, RandomGenerator rng) {
        List<Tensor> out = new ArrayList<>(sums.size());
        try (var off = GradMode.disabled()) {
            for (Tensor sum : sums) {
                out.add(sum.add(noise(sum, rng)).div(expectedBatch));
            }
        }
        return out;
    }

    /** The step of a batch that drew no sample: noise alone over the expected batch, shaped like {@code like}. */
    public List<Tensor> noiseOnly(List<Tensor> like, RandomGenerator rng) {
        List<Tensor> out = new ArrayList<>(like.size());
        try (var off = GradMode.disabled()) {
            for (Tensor t : like) {
                out.add(noise(t, rng).div(expectedBatch));
            }
        }
        return out;
    }

    private Tensor noise(Tensor like, RandomGenerator rng) {
        return Tensor.randn(rng, like.shape().dims()).to(like.device()).to(like.dtype()).mul(noiseStd);
    }
}
