package antidote.defense.deepinspect;

import antidote.nn.Module;
import antidote.tensor.Tensor;

import java.util.Collections;

/**
 * DeepInspect's generator loss, L = L_trojan + γ₂·L_pert + γ₁·L_GAN, each a mean over the C·B rows (every class's
 * perturbations of its own copy of the batch), so that each class gets its mean:
 * <ul>
 * <li>L_trojan: the cross-entropy of the frozen model on clamp(x + Δ, 0, 1) toward the target t (the paper's
 * −log P(t | x + G(z, t))).</li>
 * <li>L_pert: the soft hinge max(0, ‖Δ‖₁ − bound) on each row's L1 norm (the paper's magnitude term, built like
 * AdvGAN's hinge, which DeepInspect follows); bound 0 is the plain L1 norm that TrojanZoo uses.</li>
 * <li>L_GAN: the discriminator's non-saturating term −log D(x̃) ({@link TriggerDiscriminator#generatorTerm}).</li>
 * </ul>
 *
 * @param magnitudeWeight γ₂
 * @param magnitudeBound  the hinge's bound on each perturbation's L1 norm; 0 penalises the whole norm
 * @param ganWeight       γ₁; 0 leaves the discriminator out of the loss
 */
record GeneratorLoss(double magnitudeWeight, double magnitudeBound, double ganWeight) {

    /** clamp(x + Δ, 0, 1) with the batch x repeated once per block of Δ's rows (one block per class). */
    static Tensor triggered(Tensor x, Tensor delta) {
        Tensor repeated = Tensor.concat(0, Collections.nCopies(delta.dim(0) / x.dim(0), x));
        return repeated.add(delta).clamp(0, 1);
    }

    /** L for the batch {@code x}, the perturbations {@code delta} and their {@code targets}. */
    Tensor value(Module model, TriggerDiscriminator discriminator, Tensor x, Tensor delta, int[] targets) {
        return valueOn(model, discriminator, triggered(x, delta), delta, targets);
    }

    /** L from the {@link #triggered} images already made of {@code delta} (a step that trains D makes them once). */
    Tensor valueOn(Module model, TriggerDiscriminator discriminator, Tensor triggered, Tensor delta, int[] targets) {
        Tensor loss = model.forward(triggered).crossEntropy(targets).add(magnitude(delta).mul(magnitudeWeight));
        return ganWeight == 0 ? loss : loss.add(discriminator.generatorTerm(triggered).mul(ganWeight));
    }

    /** L_pert: the mean over rows of the hinge on each row's L1 norm. */
    Tensor magnitude(Tensor delta) {
        // Without a bound, the one whole-tensor sum the plain L1 term has always used: per-row sums, each rounded to
        // the tensor's precision before the total, may round differently and move results in their last bits.
        Tensor total = magnitudeBound == 0 ? delta.abs().sum()
                : delta.abs().flatten(1).sum(false, 1).sub(magnitudeBound).relu().sum();
        return total.div(delta.dim(0));
    }
}
