package antidote.defense.nad;

import antidote.tensor.Tensor;

/**
 * NAD's attention maps and distillation loss (Li et al., ICLR 2021, Eq. 1-2), as its code computes them (the
 * attention-transfer loss of Zagoruyko and Komodakis): a(f) = A / (‖A‖₂ + 1e-6) with A = Σ_c |f_c|^p over the
 * channels of an [N, C, H, W] feature map and the norm taken over each image's H·W map, and the loss between two
 * maps is the mean squared difference over all N·H·W entries. (Summing or averaging the channels gives the same
 * normalised map up to the 1e-6.)
 */
public final class AttentionMaps {
    /** Keeps an all-zero map finite after normalisation, as in NAD's code. */
    static final double EPS = 1e-6;

    private AttentionMaps() {
    }

    /** The normalised attention map [N, 1, H, W] of {@code features} [N, C, H, W]. */
    public static Tensor of(Tensor features, double p) {
        if (features.rank() != 4) {
            throw new IllegalArgumentException("attention maps need [N, C, H, W] features, got " + features.shape());
        }
        Tensor energy = features.abs().pow(p).sum(true, 1);
        Tensor norm = energy.square().sum(true, 2, 3).sqrt();
        return energy.div(norm.add(EPS));
    }

    /** The distillation loss: mean over N·H·W of (a(student) − a(teacher))²; no gradient flows into the teacher. */
    public static Tensor loss(Tensor student, Tensor teacher, double p) {
        if (!student.shape().equals(teacher.shape())) {
            throw new IllegalArgumentException("attention distillation needs equal feature shapes, got student "
                    + student.shape() + " and teacher " + teacher.shape());
        }
        return of(student, p).sub(of(teacher.detach(), p)).square().mean();
    }
}
