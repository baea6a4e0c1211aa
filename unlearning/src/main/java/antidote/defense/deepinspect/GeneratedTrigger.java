package antidote.defense.deepinspect;

import antidote.defense.trigger.Trigger;
import antidote.grad.GradMode;
import antidote.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/** A DeepInspect trigger: clamp(x + G(z, t), 0, 1), with fresh noise z for every image it stamps. */
final class GeneratedTrigger implements Trigger {
    private final int target;
    private final TriggerGenerator generator;
    private final SplittableRandom rng;

    GeneratedTrigger(int target, TriggerGenerator generator, SplittableRandom rng) {
        this.target = target;
        this.generator = generator;
        this.rng = rng;
    }

    @Override
    public int target() {
        return target;
    }

    @Override
    public Tensor stamp(Tensor images) {
        int[] targets = new int[images.dim(0)];
        Arrays.fill(targets, target);
        try (var off = GradMode.disabled()) {
            return images.add(generator.generate(targets, rng, images)).clamp(0, 1).detach();
        }
    }
}
