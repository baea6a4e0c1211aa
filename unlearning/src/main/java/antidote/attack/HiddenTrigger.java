package antidote.attack;

import java.util.SplittableRandom;

/**
 * Hidden trigger (HT, Saha et al. AAAI 2020), a clean-label attack: target-class training images are moved within an
 * L∞ ball of radius {@code epsilon} until a clean model's penultimate features match those of source-class images
 * carrying a patch (crafted by {@code antidote.poison.HiddenTriggerPoisons}, which needs that model); the patch itself
 * never appears in training. At test time the patch, a seeded random pattern, is put on source-class images only, and
 * should send them to the target. This class is the test-time trigger and the crafting settings.
 *
 * <p>Where the patch goes differs from the original by default: {@code place=corner} pastes it in the bottom-right
 * corner, while the original's {@code rand_loc} (a random place per image) is {@code place=random}. SmallVgg's
 * penultimate features keep a 3x3 spatial grid on 28x28 images, so a patch that moves lands in different features each
 * time. On Fashion-MNIST (10,000 training images, 800 poisons, eps 50/255, the last layer fine-tuned 8 epochs) random
 * places left the ASR at 12-20% against a clean model's 13% (measured before the one-to-one pairing of
 * {@code HiddenTriggerPoisons}); in the corner it rose to 21-46% over the epochs against a clean model's 0%.
 */
public final class HiddenTrigger implements Backdoor {
    /** Registry name. */
    public static final String NAME = "ht";
    /** Target class of the I-BAU paper's HT run (appendix A.5.4, CIFAR-10 random pair: source 5, target 8). */
    public static final int DEFAULT_TARGET = 8;
    /** Source class of the I-BAU paper's HT run. */
    public static final int DEFAULT_SOURCE = 5;
    /** Side of the square patch in pixels (the original's CIFAR-10 patch). */
    public static final int DEFAULT_SIZE = 8;
    /**
     * L∞ radius of the poisons: 0.3 (about 77/255). The I-BAU paper needed 50/255 on CIFAR-10 (Saha et al. use 16/255,
     * ASR 18% there); on Fashion-MNIST (10,000 images, 8 epochs) 50/255 gave an ASR of 21-46% over the fine-tuning
     * epochs, 0.3 gave 33-61%, with the same ACC (about 90%). {@code eps=0.196} is the I-BAU paper's.
     */
    public static final float DEFAULT_EPSILON = 0.3f;
    /** PGD steps; signed steps falling from epsilon/4 to 0 on a cosine reach the ball's surface and settle there. */
    public static final int DEFAULT_STEPS = 30;
    /** The {@code place} that pastes the patch in the bottom-right corner of every image. */
    public static final String CORNER = "corner";
    /** The {@code place} that pastes the patch at a seeded random place per image, as the original's rand_loc. */
    public static final String RANDOM = "random";
    /** Where the patch goes by default: {@value #CORNER} (bottom-right) or {@value #RANDOM} (the original's). */
    public static final String DEFAULT_PLACE = CORNER;

    private final int target;
    private final int source;
    private final int size;
    private final float epsilon;
    private final int steps;
    private final boolean randomPlace;
    private final long seed;

    /**
     * HT from {@code source} to {@code target} with a {@code size}-pixel patch drawn from {@code seed}, pasted at a
     * random place per image when {@code randomPlace}, else in the bottom-right corner.
     */
    public HiddenTrigger(int target, int source, int size, float epsilon, int steps, boolean randomPlace, long seed) {
        this.target = Labels.requireTarget(target);
        this.source = Labels.requireTarget(source);
        if (source == target) {
            throw new IllegalArgumentException("hidden trigger: source and target are both class " + target
                    + "; give a source class other than the target, e.g. source=" + DEFAULT_SOURCE);
        }
        if (size < 1) {
            throw new IllegalArgumentException("hidden trigger patch size " + size + " must be at least 1 pixel");
        }
        if (!(epsilon > 0f && epsilon <= 1f)) {
            throw new IllegalArgumentException("hidden trigger eps " + epsilon + " is outside (0,1]; it is the L-infinity"
                    + " radius in [0,1] pixel units, e.g. eps=0.0627 for 16/255");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("hidden trigger steps " + steps + " must be at least 1; the default is "
                    + DEFAULT_STEPS);
        }
        this.size = size;
        this.epsilon = epsilon;
        this.steps = steps;
        this.randomPlace = randomPlace;
        this.seed = seed;
    }

    /** Reads {@code target}, {@code source}, {@code size}, {@code eps}, {@code steps}, {@code place}, {@code seed}. */
    public static HiddenTrigger fromOptions(AttackOptions options) {
        return new HiddenTrigger(options.target(DEFAULT_TARGET), options.integer("source", DEFAULT_SOURCE),
                options.integer("size", DEFAULT_SIZE), options.number("eps", DEFAULT_EPSILON),
                options.integer("steps", DEFAULT_STEPS),
                options.choice("place", DEFAULT_PLACE, CORNER, RANDOM).equals(RANDOM), options.seed());
    }

    /** The target class. */
    public int target() {
        return target;
    }

    /** The class whose patched images should go to the target. */
    public int source() {
        return source;
    }

    /** The L∞ radius of the crafted poisons. */
    public float epsilon() {
        return epsilon;
    }

    /** The number of PGD steps. */
    public int steps() {
        return steps;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The image with the patch pasted in the corner, or at the place drawn for {@code sampleIndex}. */
    @Override
    public float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
        shape.check(chw);
        if (size > shape.height() || size > shape.width()) {
            throw new IllegalArgumentException("a " + size + "x" + size + " hidden-trigger patch does not fit a " + shape
                    + " image; give a smaller size=");
        }
        int top = shape.height() - size;
        int left = shape.width() - size;
        if (randomPlace) {
            SplittableRandom place = new SplittableRandom(Seeds.derive(seed, sampleIndex));
            top = place.nextInt(top + 1);
            left = place.nextInt(left + 1);
        }
        SplittableRandom pattern = new SplittableRandom(seed);
        float[] out = Pixels.clipInPlace(chw.clone());
        for (int c = 0; c < shape.channels(); c++) {
            for (int r = 0; r < size; r++) {
                for (int x = 0; x < size; x++) {
                    out[shape.index(c, top + r, left + x)] = (float) pattern.nextDouble();
                }
            }
        }
        return out;
    }

    /** Source-class images go to the target; every other class keeps its label. */
    @Override
    public int poisonedLabel(int trueLabel, int numClasses) {
        Labels.allToOne(target, trueLabel, numClasses);
        Labels.allToOne(source, trueLabel, numClasses);
        return trueLabel == source ? target : trueLabel;
    }

    @Override
    public boolean cleanLabel() {
        return true;
    }

    /** Only target-class images are poisoned (they keep their label). */
    @Override
    public boolean poisons(int trueLabel, int numClasses) {
        poisonedLabel(trueLabel, numClasses);
        return trueLabel == target;
    }
}
