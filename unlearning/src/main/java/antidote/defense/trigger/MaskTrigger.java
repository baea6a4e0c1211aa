package antidote.defense.trigger;

import antidote.tensor.Tensor;

/**
 * A Neural Cleanse style trigger: x' = (1 − m) ⊙ x + m ⊙ p, with the mask m [1,1,H,W] and the pattern p [1,C,H,W]
 * both in [0,1].
 *
 * @param target the class it was searched for
 * @param mask   where the trigger replaces the image
 * @param pattern what it replaces it with
 * @param norm   the mask's L1 norm, the statistic Neural Cleanse compares across classes
 * @param epochs the search epochs it took
 * @param succeeded whether it reached the search's attack success rate (else it is the search's last mask)
 */
public record MaskTrigger(int target, Tensor mask, Tensor pattern, double norm, int epochs, boolean succeeded)
        implements Trigger {

    @Override
    public Tensor stamp(Tensor images) {
        return images.add(mask.mul(pattern.sub(images)));
    }
}
