package antidote.attack;

import java.util.Objects;

/** All-to-all (Gu et al. 2017): a trigger (a BadNets square by default) that sends class y to (y + 1) mod C. */
public final class AllToAll implements Backdoor {
    /** Registry name. */
    public static final String NAME = "all-to-all";

    private final Trigger trigger;

    /** All-to-all with {@code trigger}; a {@link Backdoor} given here lends its image transform, not its target. */
    public AllToAll(Trigger trigger) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
    }

    /** Reads the square options of {@link BadNets#patchFrom}. */
    public static AllToAll fromOptions(AttackOptions options) {
        return new AllToAll(BadNets.patchFrom(options));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
        return trigger.apply(chw, shape, sampleIndex);
    }

    @Override
    public int poisonedLabel(int trueLabel, int numClasses) {
        Labels.requireLabel(trueLabel, numClasses);
        return (trueLabel + 1) % numClasses;
    }
}
