package antidote.defense.tabor;

import antidote.defense.Setting;
import antidote.defense.trigger.SearchPenalty;
import antidote.nn.Module;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/**
 * TABOR's regularisers (Guo et al., 2019, and its reference code), per searched class, for masks m [A,1,H,W] and
 * patterns p [A,C,H,W] in [0,1]. With the mask spread over the C channels (as the reference code repeats it) and
 * q = 255·(1 − m) ⊙ p the pattern outside the mask in the reference code's 0-255 pixel units:
 * <ul>
 *   <li>R1, overly large triggers: w₁·(‖m‖₁ + ‖m‖₂²) + w₂·(‖q‖₁ + ‖q‖₂²);</li>
 *   <li>R2, scattered triggers: w₃·TV(m) + w₄·TV(q), TV the sum of squared differences of vertical and horizontal
 *       neighbours;</li>
 *   <li>R3, blocking triggers: w₅·CE(f((1 − m) ⊙ x), y), the images without the trigger's area keep their
 *       true labels (the trigger does not cover the object);</li>
 *   <li>R4, overlaying triggers: w₆·CE(f(m ⊙ p), t), the trigger alone is classified as its target.</li>
 * </ul>
 */
public final class TaborPenalty implements SearchPenalty {
    /** The reference code's pixel scale, in which its weights were tuned. */
    static final double PIXEL_SCALE = 255;

    /**
     * @param maskSizeWeight      w₁ (1e-6)
     * @param patternSizeWeight   w₂ (1e-5)
     * @param maskSmoothWeight    w₃ (1e-7)
     * @param patternSmoothWeight w₄ (1e-8)
     * @param blockingWeight      w₅ (0: the reference code leaves it off; it costs one more forward pass)
     * @param overlayWeight       w₆ (1e-2)
     */
    public record Weights(@Setting("weight of the mask's L1 + squared L2 size (R1)") double maskSizeWeight,
                          @Setting("weight of the pattern-outside-the-mask size, 0-255 units (R1)")
                          double patternSizeWeight,
                          @Setting("weight of the mask's total variation (R2)") double maskSmoothWeight,
                          @Setting("weight of the pattern-outside-the-mask total variation (R2)")
                          double patternSmoothWeight,
                          @Setting("weight of the blocking term: images without the trigger area keep their labels (R3)")
                          double blockingWeight,
                          @Setting("weight of the overlay term: the trigger alone is classified as its target (R4)")
                          double overlayWeight) {
        public static final Weights REFERENCE = new Weights(1e-6, 1e-5, 1e-7, 1e-8, 0, 1e-2);

        public Weights {
            if (maskSizeWeight < 0 || patternSizeWeight < 0 || maskSmoothWeight < 0 || patternSmoothWeight < 0
                    || blockingWeight < 0 || overlayWeight < 0) {
                throw new IllegalArgumentException("TABOR's regulariser weights must not be negative; got " + this);
            }
        }
    }

    private final Weights weights;

    public TaborPenalty(Weights weights) {
        this.weights = weights;
    }

    @Override
    public Tensor perClass(Tensor masks, Tensor patterns, Tensor images, int[] labels, int[] targets, Module model) {
        int channels = patterns.dim(1);
        Tensor outside = masks.neg().add(1).mul(patterns).mul(PIXEL_SCALE);
        Tensor penalty = size(masks).mul(channels * weights.maskSizeWeight())
                .add(size(outside).mul(weights.patternSizeWeight()))
                .add(totalVariation(masks).mul(channels * weights.maskSmoothWeight()))
                .add(totalVariation(outside).mul(weights.patternSmoothWeight()));
        if (weights.blockingWeight() != 0) {
            penalty = penalty.add(blocking(masks, images, labels, model).mul(weights.blockingWeight()));
        }
        if (weights.overlayWeight() != 0) {
            penalty = penalty.add(crossEntropyPerRow(model.forward(masks.mul(patterns)), targets)
                    .mul(weights.overlayWeight()));
        }
        return penalty;
    }

    /** ‖v‖₁ + ‖v‖₂² of each row of v [A,...]. */
    static Tensor size(Tensor v) {
        return v.abs().add(v.square()).sum(false, axesAfterFirst(v));
    }

    /** Σ (v[i+1,j] − v[i,j])² + Σ (v[i,j+1] − v[i,j])² of each row of v [A,C,H,W]. */
    static Tensor totalVariation(Tensor v) {
        int h = v.dim(2);
        int w = v.dim(3);
        Tensor vertical = v.slice(2, 1, h).sub(v.slice(2, 0, h - 1)).square().sum(false, 1, 2, 3);
        Tensor horizontal = v.slice(3, 1, w).sub(v.slice(3, 0, w - 1)).square().sum(false, 1, 2, 3);
        return vertical.add(horizontal);
    }

    /** Mean over the batch of CE(f((1 − m_a) ⊙ x), y), per class a. */
    private static Tensor blocking(Tensor masks, Tensor images, int[] labels, Module model) {
        int a = masks.dim(0);
        int n = images.dim(0);
        int[] s = images.shape().dims();
        Tensor kept = images.reshape(1, s[0], s[1], s[2], s[3])
                .mul(masks.neg().add(1).reshape(a, 1, 1, s[2], s[3])).reshape(a * n, s[1], s[2], s[3]);
        int[] repeated = new int[a * n];
        for (int i = 0; i < a * n; i++) {
            repeated[i] = labels[i % n];
        }
        return crossEntropyPerRow(model.forward(kept), repeated).reshape(a, n).mean(false, 1);
    }

    /** −log softmax(logits)[label] of each row. */
    static Tensor crossEntropyPerRow(Tensor logits, int[] labels) {
        int k = logits.dim(1);
        double[] oneHot = new double[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i * k + labels[i]] = 1;
        }
        Tensor pick = Tensor.fromArray(oneHot, Shape.of(labels.length, k), logits.device()).to(logits.dtype());
        return logits.logSoftmax(1).mul(pick).sum(false, 1).neg();
    }

    private static int[] axesAfterFirst(Tensor v) {
        int[] axes = new int[v.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }
}
