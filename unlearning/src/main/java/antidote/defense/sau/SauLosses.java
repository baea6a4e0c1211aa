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

    /** The masks that drive the shared PGD and the unlearning loss, from the two models' predictions. */
    public record Masks(boolean[] notFooled, boolean[] refNotFooled, boolean[] notShared) {

        /**
         * A sample is fooled when a model mispredicts it; it is shared when both models predict the same
         * wrong class.
         */
        public static Masks of(int[] predictions, int[] refPredictions, int[] labels) {
            int n = labels.length;
            boolean[] notFooled = new boolean[n];
            boolean[] refNotFooled = new boolean[n];
            boolean[] notShared = new boolean[n];
            for (int i = 0; i < n; i++) {
                notFooled[i] = predictions[i] == labels[i];
                refNotFooled[i] = refPredictions[i] == labels[i];
                notShared[i] = !(predictions[i] == refPredictions[i] && predictions[i] != labels[i]);
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
     * L_adv = −Σ CE over samples each model still classifies correctly, divided by 2B, and
     * L_share = Σ JS(h, h_ref) over samples not yet shared, divided by B.
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
     * L_sar: the mean, over samples where the reference model is fooled by the perturbation and changed
     * its clean prediction, of −log(1 − p_h(ŷ_ref | x+ε)): the purified model must not agree with the
     * poisoned model's wrong answer. Zero when no sample qualifies.
     */
    public static Tensor sharedAdversarialRisk(Tensor adversarialLogits, int[] refAdversarialPredictions,
                                               int[] refCleanPredictions, int[] labels) {
        int b = labels.length;
        boolean[] qualifies = new boolean[b];
        int count = 0;
        for (int i = 0; i < b; i++) {
            qualifies[i] = refAdversarialPredictions[i] != labels[i]
                    && refAdversarialPredictions[i] != refCleanPredictions[i];
            count += qualifies[i] ? 1 : 0;
        }
        if (count == 0) {
            return adversarialLogits.constant(0, Shape.scalar());
        }
        Tensor p = adversarialLogits.softmax(1)
                .gather(1, refAdversarialPredictions, Shape.of(b, 1)).reshape(b);
        // The clamp keeps log finite when the purified model is certain of the reference's answer.
        Tensor risk = p.neg().add(1.0).clamp(1e-12, 1.0).log().neg();
        return risk.mul(mask(adversarialLogits, qualifies)).sum().div(count);
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
