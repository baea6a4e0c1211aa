package antidote.defense.sau;

import antidote.defense.Setting;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Generates shared adversarial examples (SAU's inner step) as BackdoorBench's {@code Shared_PGD} does: one
 * perturbation per sample in an L∞ ball of pixel units, started at {@link Init}, moved by signed-gradient steps
 * on {@link SauLosses#sharedPgdObjective}, projected onto the ball after each step, stopping once every sample
 * is shared by the two models. The perturbed images are not clipped to [0,1]: BackdoorBench leaves that out for
 * backdoor defense, as I-BAU's reference code does.
 */
public final class SharedPgd {

    /** Where the perturbation starts (BackdoorBench's {@code pgd_init}). */
    public enum Init {
        /** δ = 0. */
        ZERO,
        /** δ uniform in [0, 1) per pixel, then projected onto the ball. */
        RANDOM,
        /** δ = +ε everywhere (BackdoorBench's default). */
        MAX,
        /** δ = −ε everywhere. */
        MIN
    }

    /**
     * @param bound the L∞ radius of each perturbation in [0,1] pixel units (0.2)
     * @param step  the signed-gradient step (0.2)
     * @param steps the most PGD steps (5)
     * @param init  where each perturbation starts (max)
     * @param beta1 weight of the adversarial term (0.01)
     * @param beta2 weight of the sharing term (1)
     */
    public record Settings(@Setting("L-infinity radius of the shared adversarial perturbation, in [0,1] pixel units")
                           double bound,
                           @Setting("step of the signed-gradient PGD") double step,
                           @Setting("most PGD steps per batch") int steps,
                           @Setting("where the perturbation starts") Init init,
                           @Setting("weight of the adversarial term of the PGD objective") double beta1,
                           @Setting("weight of the sharing (Jensen-Shannon) term of the PGD objective") double beta2) {
        public static final Settings DEFAULT = new Settings(0.2, 0.2, 5, Init.MAX, 0.01, 1.0);

        public Settings {
            if (!(bound > 0) || !(step > 0) || steps < 1 || beta1 < 0 || beta2 < 0) {
                throw new IllegalArgumentException("shared PGD needs bound and step > 0, steps >= 1 and non-negative "
                        + "betas; got bound " + bound + ", step " + step + ", steps " + steps + ", betas " + beta1
                        + ", " + beta2);
            }
        }
    }

    private SharedPgd() {
    }

    /** The perturbed images x + ε, detached, with every ε inside the L∞ ball. */
    public static Tensor attack(UnaryOperator<Tensor> model, UnaryOperator<Tensor> reference, Tensor images,
                                int[] labels, Settings s, SplittableRandom rng) {
        int[] clean;
        int[] refClean;
        Tensor delta;
        try (var off = GradMode.disabled()) {
            clean = model.apply(images).argMax(1);
            refClean = reference.apply(images).argMax(1);
            delta = project(start(images, s, rng), s.bound());
        }
        for (int k = 0; k < s.steps(); k++) {
            Tensor leaf = delta.withGrad();
            Tensor perturbed = images.add(leaf);
            Tensor logits = model.apply(perturbed);
            Tensor refLogits = reference.apply(perturbed);
            SauLosses.Masks masks = SauLosses.Masks.of(logits.argMax(1), refLogits.argMax(1), clean, refClean);
            Tensor objective = SauLosses.sharedPgdObjective(logits, refLogits, labels, masks, s.beta1(), s.beta2());
            Tensor grad = Autodiff.grad(objective, List.of(leaf)).get(0);
            try (var off = GradMode.disabled()) {
                delta = project(delta.sub(grad.sign().mul(s.step())), s.bound());
            }
            // As in BackdoorBench, the step is taken before the stop test, which uses the predictions before it.
            if (masks.allShared()) {
                break;
            }
        }
        return images.add(delta).detach();
    }

    private static Tensor start(Tensor images, Settings s, SplittableRandom rng) {
        return switch (s.init()) {
            case ZERO -> images.constant(0, images.shape());
            case MAX -> images.constant(s.bound(), images.shape());
            case MIN -> images.constant(-s.bound(), images.shape());
            case RANDOM -> {
                double[] u = new double[images.shape().size()];
                for (int i = 0; i < u.length; i++) {
                    u[i] = rng.nextDouble();
                }
                yield Tensor.fromArray(u, images.shape(), images.device()).to(images.dtype());
            }
        };
    }

    private static Tensor project(Tensor delta, double bound) {
        return delta.clamp(-bound, bound).detach();
    }
}
