package antidote.defense.sau;

import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/**
 * The loss terms of shared adversarial unlearning (SAU, Wei et al., NeurIPS 2023; BackdoorBench's
 * reference implementation), written as tensor composites so that they differentiate like any other op.
 */
public final class SauLosses {
    private SauLosses() {
    }

    /** Cross-entropy of each sample: −log softmax(logits)[label], shape [B]. */
    public static Tensor perSampleCrossEntropy(Tensor logits, int[] labels) {
        return logits.logSoftmax(1).gather(1, labels, Shape.of(labels.length, 1)).reshape(labels.length).neg();
    }

    /**
     * Jensen–Shannon divergence between the softmax distributions of two logit rows, per sample [B]:
     * ½KL(P‖M) + ½KL(Q‖M) with M = (P+Q)/2, computed from log-softmax for stability.
     */
    public static Tensor jsDivergence(Tensor logitsA, Tensor logitsB) {
        Tensor logP = logitsA.logSoftmax(1);
        Tensor logQ = logitsB.logSoftmax(1);
        Tensor p = logP.exp();
        Tensor q = logQ.exp();
        Tensor logM = p.add(q).mul(0.5).log();
        Tensor klP = p.mul(logP.sub(logM)).sum(false, 1);
        Tensor klQ = q.mul(logQ.sub(logM)).sum(false, 1);
        return klP.add(klQ).mul(0.5);
    }

    /** The masks that drive the shared PGD, from each model's predictions on the perturbed and on the clean images. */
    public record Masks(boolean[] notFooled, boolean[] refNotFooled, boolean[] notShared) {

        /**
         * As BackdoorBench's {@code Shared_PGD}: a model is fooled when its prediction on the perturbed image differs
         * from its prediction on the clean one; a sample is shared when both models are fooled into the same class.
         */
        public static Masks of(int[] predictions, int[] refPredictions, int[] cleanPredictions,
                               int[] refCleanPredictions) {
            int n = predictions.length;
            boolean[] notFooled = new boolean[n];
            boolean[] refNotFooled = new boolean[n];
            boolean[] notShared = new boolean[n];
            for (int i = 0; i < n; i++) {
                notFooled[i] = predictions[i] == cleanPredictions[i];
                refNotFooled[i] = refPredictions[i] == refCleanPredictions[i];
                notShared[i] = notFooled[i] || refNotFooled[i] || predictions[i] != refPredictions[i];
            }
            return new Masks(notFooled, refNotFooled, notShared);
        }

        /** True when every sample is a shared adversarial example (PGD can stop). */
        public boolean allShared() {
            for (boolean b : notShared) {
                if (b) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The shared-PGD objective (minimised over the perturbation): β₁·L_adv + β₂·L_share, where
     * L_adv = −Σ CE (against the true labels) over samples a model is not yet fooled on, each model's sum, divided
     * by 2B, and L_share = Σ JS(h, h_ref) over samples not yet shared, divided by B.
     */
    public static Tensor sharedPgdObjective(Tensor logits, Tensor refLogits, int[] labels, Masks masks,
                                            double beta1, double beta2) {
        int b = labels.length;
        Tensor ce = perSampleCrossEntropy(logits, labels).mul(mask(logits, masks.notFooled()));
        Tensor ceRef = perSampleCrossEntropy(refLogits, labels).mul(mask(logits, masks.refNotFooled()));
        Tensor adv = ce.sum().add(ceRef.sum()).neg().div(2.0 * b);
        Tensor share = jsDivergence(logits, refLogits).mul(mask(logits, masks.notShared())).sum().div(b);
        return adv.mul(beta1).add(share.mul(beta2));
    }

    /**
     * L_sar as BackdoorBench computes it: over the samples where the reference model is fooled by the perturbation
     * (wrong, and changed from its clean answer), −log(1 − p_h(ŷ_ref | x+ε)), summed and divided by the batch size
     * B. As there, the term is the mean of two equal forms, −log(1e-6 + min(Σ_{k≠ŷ} p_k, 0.999)) and
     * −log(1 + 1e-6 − max(p_ŷ, 0.001)), which keeps it finite near p = 1 and stops the push once p < 0.001.
     */
    public static Tensor sharedAdversarialRisk(Tensor adversarialLogits, int[] refAdversarialPredictions,
                                               int[] refCleanPredictions, int[] labels) {
        int b = labels.length;
        int classes = adversarialLogits.dim(1);
        boolean[] qualifies = new boolean[b];
        double[] oneHot = new double[b * classes];
        boolean any = false;
        for (int i = 0; i < b; i++) {
            qualifies[i] = refAdversarialPredictions[i] != labels[i]
                    && refAdversarialPredictions[i] != refCleanPredictions[i];
            oneHot[i * classes + refAdversarialPredictions[i]] = 1;
            any |= qualifies[i];
        }
        if (!any) {
            return adversarialLogits.constant(0, Shape.scalar());
        }
        Tensor p = adversarialLogits.softmax(1);
        Tensor hot = Tensor.fromArray(oneHot, Shape.of(b, classes), p.device()).to(p.dtype());
        Tensor pos = p.mul(hot).sum(false, 1);
        Tensor neg = p.mul(hot.neg().add(1.0)).sum(false, 1);
        Tensor first = neg.clamp(0, 0.999).add(1e-6).log().neg();
        Tensor second = pos.clamp(0.001, 1).neg().add(1 + 1e-6).log().neg();
        return first.add(second).mul(0.5).mul(mask(adversarialLogits, qualifies)).sum().div(b);
    }

    /** A 0/1 float mask [B] with the dtype and device of {@code like}. */
    static Tensor mask(Tensor like, boolean[] on) {
        double[] v = new double[on.length];
        for (int i = 0; i < on.length; i++) {
            v[i] = on[i] ? 1 : 0;
        }
        return Tensor.fromArray(v, Shape.of(on.length), like.device()).to(like.dtype());
    }
}
