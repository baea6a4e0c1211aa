package antidote.defense.sau;

import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Generates shared adversarial examples (SAU's inner step): per-sample perturbations in an L∞ ball,
 * found by PGD on {@link SauLosses#sharedPgdObjective}, starting from the corner +bound as the reference
 * code does, stopping early once every sample is shared by the two models.
 */
public final class SharedPgd {

    /**
     * @param bound  the L∞ radius of each perturbation (0.2 in pixel units of [0,1])
     * @param step   the signed-gradient step (0.2)
     * @param steps  the most PGD steps (5)
     * @param beta1  weight of the adversarial term (0.01)
     * @param beta2  weight of the sharing term (1)
     */
    public record Settings(double bound, double step, int steps, double beta1, double beta2) {
        public static final Settings DEFAULT = new Settings(0.2, 0.2, 5, 0.01, 1.0);
    }

    private SharedPgd() {
    }

    /** The perturbed images x + ε, detached, inside the ball around {@code images} and inside [0, 1]. */
    public static Tensor attack(UnaryOperator<Tensor> model, UnaryOperator<Tensor> reference, Tensor images,
                                int[] labels, Settings s) {
        Tensor delta = images.constant(s.bound(), images.shape());
        Tensor adversarial = project(images, delta);
        for (int k = 0; k < s.steps(); k++) {
            Tensor leaf = adversarial.withGrad();
            Tensor logits = model.apply(leaf);
            Tensor refLogits = reference.apply(leaf);
            SauLosses.Masks masks = SauLosses.Masks.of(logits.argMax(1), refLogits.argMax(1), labels);
            if (masks.allShared()) {
                break;
            }
            Tensor objective = SauLosses.sharedPgdObjective(logits, refLogits, labels, masks, s.beta1(), s.beta2());
            Tensor grad = Autodiff.grad(objective, List.of(leaf)).get(0);
            try (var off = GradMode.disabled()) {
                Tensor stepped = adversarial.sub(grad.sign().mul(s.step()));
                adversarial = project(images, stepped.sub(images).clamp(-s.bound(), s.bound()));
            }
        }
        return adversarial.detach();
    }

    /** images + delta clipped to valid pixels. */
    private static Tensor project(Tensor images, Tensor delta) {
        return images.add(delta).clamp(0, 1).detach();
    }
}
