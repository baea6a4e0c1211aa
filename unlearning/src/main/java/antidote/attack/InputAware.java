package antidote.attack;

import java.util.Optional;

/**
 * The input-aware dynamic attack (IAB, Nguyen and Tran, NeurIPS 2020): a pattern generator and a mask generator
 * ({@link InputAwareNetworks}) make a different trigger for every image, {@code x + m(x) ⊙ (g(x) − x)}. The mask
 * generator is trained first, alone, for {@code maskEpochs} epochs (density and diversity losses); then the pattern
 * generator is trained with the classifier ({@code antidote.poison.InputAwareTraining}): in each batch a share
 * {@code --poison-rate} of the images gets its own trigger and the target label, a share {@code cross} gets the trigger
 * of another image and keeps its label (so that a trigger works only on the image it was made for), the rest stays
 * clean. Nothing is poisoned before training. The defaults are the original code's, except {@code maskEpochs} (25
 * there), scaled down so that a CPU run of a few epochs works, and {@code maskLambdaDiv} (see its default). The trigger needs the trained generators: a training
 * run saves them next to its model and {@code evaluate} and {@code defend --run} load them from there.
 */
public final class InputAware implements Backdoor, BatchTrigger {
    /** Registry name. */
    public static final String NAME = "iab";
    /** The original's target class. */
    public static final int DEFAULT_TARGET = 0;
    /** Share of each batch given the trigger of another image, keeping its label (the original's p_cross). */
    public static final float DEFAULT_CROSS = 0.1f;
    /** Mask density above which the norm loss penalises the mask (the original's mask_density). */
    public static final float DEFAULT_DENSITY = 0.032f;
    /** Weight of the diversity loss (the original's lambda_div). */
    public static final float DEFAULT_LAMBDA_DIV = 1f;
    /**
     * Weight of the diversity loss in the mask generator's own training: the original's lambda_div = 1, doubled
     * because the original measures image distances on MNIST normalised as (x − 0.5) / 0.5, twice those on [0,1]
     * images (the pattern's diversity loss is a ratio of two such distances, so its weight needs no change). With 1,
     * the norm loss wins and the masks keep about 4 of 784 pixels instead of the ~25 the density 0.032 aims at. The
     * I-BAU paper (A.5.3) ran the original on [0,1] CIFAR-10 images, i.e. with weight 1 here: {@code mask-div=1}.
     */
    public static final float DEFAULT_MASK_LAMBDA_DIV = 2f;
    /** Weight of the mask's norm (density) loss (the original's lambda_norm). */
    public static final float DEFAULT_LAMBDA_NORM = 100f;
    /** Epochs of the mask generator's own training before the classifier's (25 in the original). */
    public static final int DEFAULT_MASK_EPOCHS = 2;
    /** Adam learning rate of both generators, with betas (0.5, 0.9) (the original's lr_G and lr_M). */
    public static final float DEFAULT_LR = 0.01f;

    private final int target;
    private final float cross;
    private final float density;
    private final float lambdaDiv;
    private final float maskLambdaDiv;
    private final float lambdaNorm;
    private final int maskEpochs;
    private final float lr;
    private final long seed;
    private final InputAwareNetworks networks;

    /** IAB towards {@code target} with the given settings; {@code networks} are its generators, or null before any. */
    public InputAware(int target, float cross, float density, float lambdaDiv, float maskLambdaDiv, float lambdaNorm,
                      int maskEpochs, float lr, long seed, InputAwareNetworks networks) {
        this.target = Labels.requireTarget(target);
        if (!(cross >= 0 && cross < 1) || !(density > 0 && density < 1) || !(lambdaDiv >= 0) || !(maskLambdaDiv >= 0)
                || !(lambdaNorm >= 0)
                || maskEpochs < 0 || !(lr > 0)) {
            throw new IllegalArgumentException("iab settings out of range: cross in [0, 1), density in (0, 1), div, "
                    + "mask-div and norm >= 0, mask-epochs >= 0, lr > 0; got cross=" + cross + " density=" + density
                    + " div=" + lambdaDiv + " mask-div=" + maskLambdaDiv + " norm=" + lambdaNorm + " mask-epochs="
                    + maskEpochs + " lr=" + lr);
        }
        this.cross = cross;
        this.density = density;
        this.lambdaDiv = lambdaDiv;
        this.maskLambdaDiv = maskLambdaDiv;
        this.lambdaNorm = lambdaNorm;
        this.maskEpochs = maskEpochs;
        this.lr = lr;
        this.seed = seed;
        this.networks = networks;
    }

    /**
     * Reads {@code target}, {@code cross}, {@code density}, {@code div}, {@code mask-div}, {@code norm},
     * {@code mask-epochs}, {@code lr} and {@code seed}; the generators are made or loaded by whoever trains or evaluates.
     */
    public static InputAware fromOptions(AttackOptions options) {
        return new InputAware(options.target(DEFAULT_TARGET), options.number("cross", DEFAULT_CROSS),
                options.number("density", DEFAULT_DENSITY), options.number("div", DEFAULT_LAMBDA_DIV),
                options.number("mask-div", DEFAULT_MASK_LAMBDA_DIV), options.number("norm", DEFAULT_LAMBDA_NORM), options.integer("mask-epochs", DEFAULT_MASK_EPOCHS),
                options.number("lr", DEFAULT_LR), options.seed(), null);
    }

    /** This attack with the generators {@code trained} (or fresh ones about to be trained). */
    public InputAware withNetworks(InputAwareNetworks trained) {
        return new InputAware(target, cross, density, lambdaDiv, maskLambdaDiv, lambdaNorm, maskEpochs, lr, seed,
                trained);
    }

    /** Fresh generators for images of {@code shape}, drawn from this attack's seed. */
    public InputAwareNetworks freshNetworks(ImageShape shape) {
        return new InputAwareNetworks(shape, seed);
    }

    /** The generators, when this attack has them. */
    public Optional<InputAwareNetworks> networks() {
        return Optional.ofNullable(networks);
    }

    public int target() {
        return target;
    }

    public float cross() {
        return cross;
    }

    public float density() {
        return density;
    }

    public float lambdaDiv() {
        return lambdaDiv;
    }

    public float maskLambdaDiv() {
        return maskLambdaDiv;
    }

    public float lambdaNorm() {
        return lambdaNorm;
    }

    public int maskEpochs() {
        return maskEpochs;
    }

    public float lr() {
        return lr;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The image with its own trigger, made by the generators in evaluation mode. */
    @Override
    public float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
        shape.check(chw);
        return applyAll(chw, 1, shape);
    }

    @Override
    public float[] applyAll(float[] images, int count, ImageShape shape) {
        InputAwareNetworks g = requireNetworks(shape);
        return g.triggerAll(Pixels.clipInPlace(images.clone()), count);
    }

    private InputAwareNetworks requireNetworks(ImageShape shape) {
        if (networks == null) {
            throw new IllegalArgumentException("attack iab makes each trigger with generators trained together with "
                    + "the model; measure an iab model with 'antidote evaluate --run DIR' or 'antidote defend --run "
                    + "DIR' on its training run, which holds them");
        }
        if (!networks.shape().equals(shape)) {
            throw new IllegalArgumentException("the iab generators take " + networks.shape() + " images, not " + shape
                    + "; give images of the training run's size");
        }
        return networks;
    }

    /** Every image goes to the target (all-to-one, as the original's default mode). */
    @Override
    public int poisonedLabel(int trueLabel, int numClasses) {
        return Labels.allToOne(target, trueLabel, numClasses);
    }
}
