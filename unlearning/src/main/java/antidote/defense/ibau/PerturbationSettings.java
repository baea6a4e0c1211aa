package antidote.defense.ibau;

import antidote.defense.Setting;

/**
 * The trigger family I-BAU's inner problem searches, and the mask-pattern family's own knobs, each with its one
 * documented default ({@link #DEFAULT}). The additive family uses the enclosing {@link IbauSettings}' inner lr,
 * optimiser, radius and projection; the mask-pattern family uses the knobs below instead (its ‖z‖² term still
 * takes the enclosing penalty, on its free variables z).
 *
 * @param perturbation the family (default {@link Perturbation#ADDITIVE}, the paper's and the reference code's δ)
 * @param maskLr       Adam learning rate of the mask-pattern ascent on its free variables (default 0.1, Neural
 *                     Cleanse's search rate on the same tanh parameterisation)
 * @param maskCap      most mean(m) of the mask, enforced after every ascent step by scaling m (default 0.25: it
 *                     holds a blend of weight up to 0.25 and a patch of up to a quarter of the image)
 * @param maskPenalty  weight of mean(m) (an L1 budget) in the mask-pattern ascent's loss and in L_in (default 0)
 */
public record PerturbationSettings(
        @Setting("inner variable: one additive perturbation, or a universal mask m and pattern p, (1-m)x + m p")
        Perturbation perturbation,
        @Setting("Adam learning rate of the mask-pattern ascent") double maskLr,
        @Setting("most mean of the mask m (mask-pattern budget; a blend of weight a has mean a)") double maskCap,
        @Setting("weight of mean(m), an L1 budget, in the mask-pattern ascent and in L_in") double maskPenalty) {

    /** The documented defaults. */
    public static final PerturbationSettings DEFAULT = new PerturbationSettings(Perturbation.ADDITIVE, 0.1, 0.25, 0);

    /** The family of the inner variable. */
    public enum Perturbation {
        /** One universal additive δ: x + δ (the paper and the reference code). */
        ADDITIVE,
        /** One universal mask m [1,1,H,W] and pattern p [1,C,H,W]: (1 − m) ⊙ x + m ⊙ p, both in [0,1]. */
        MASK_PATTERN
    }

    public PerturbationSettings {
        if (perturbation == null || !(maskLr > 0) || !(maskCap > 0 && maskCap <= 1) || !(maskPenalty >= 0)) {
            throw new IllegalArgumentException("perturbation settings need a family, mask lr > 0, mask cap in (0, 1] "
                    + "and mask penalty >= 0; got " + this);
        }
    }
}
