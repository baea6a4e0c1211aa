package antidote.attack;

import java.util.List;

/**
 * Several backdoors at once, each with its own trigger and target (the I-BAU paper's multi-trigger-multi-target
 * setting). Each sample receives one backdoor, drawn from the seed and its index, so the backdoors share the poisoned
 * samples about equally.
 */
public final class MultiTrigger implements Attack {
    /** Registry name. */
    public static final String NAME = "multi-trigger";

    private final List<Backdoor> backdoors;
    private final long seed;

    /** An attack planting every one of {@code backdoors} (at least one), assigned to samples with {@code seed}. */
    public MultiTrigger(List<Backdoor> backdoors, long seed) {
        if (backdoors.isEmpty()) {
            throw new IllegalArgumentException("a multi-trigger attack needs at least one backdoor; give one or more, "
                    + "or use MultiTrigger.paper(seed) for the I-BAU paper's seven");
        }
        this.backdoors = List.copyOf(backdoors);
        this.seed = seed;
    }

    /**
     * The I-BAU paper's seven triggers with seven targets (its multi-trigger figure): Trojan watermark to 9, Trojan
     * square to 2, BadNets to 0, smooth to 1, Blend to 3, l0 to 4 and l2 to 5; seeded patterns, default parameters.
     */
    public static MultiTrigger paper(long seed) {
        return new MultiTrigger(List.of(
                new TrojanWatermark(9, TrojanWatermark.seeded(Seeds.derive(seed, 0))),
                new TrojanSquare(2, TrojanSquare.seeded(Seeds.derive(seed, 1))),
                new BadNets(0),
                new Smooth(1, Smooth.seeded(Seeds.derive(seed, 2))),
                new Blend(3, Blend.DEFAULT_ALPHA, Blend.noise(Seeds.derive(seed, 3))),
                new L0Trigger(4, L0Trigger.DEFAULT_PIXELS, Seeds.derive(seed, 4)),
                new L2Invisible(5, L2Invisible.seeded(Seeds.derive(seed, 5)))), seed);
    }

    /** Reads {@code seed} and builds {@link #paper}. */
    public static MultiTrigger fromOptions(AttackOptions options) {
        return paper(options.seed());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Backdoor> backdoors() {
        return backdoors;
    }

    @Override
    public Backdoor backdoorFor(int sampleIndex) {
        return backdoors.get((int) Long.remainderUnsigned(Seeds.derive(seed, sampleIndex), backdoors.size()));
    }
}
