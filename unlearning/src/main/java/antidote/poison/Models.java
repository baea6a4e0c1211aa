package antidote.poison;

import antidote.nn.Module;
import antidote.nn.model.PreActResNet18;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Shape;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The models the command line can train and defend, by name, and what a state dict's shapes say about them. */
public final class Models {
    public static final String SMALL_VGG = "small-vgg";
    public static final String PREACT_RESNET18 = "preact-resnet18";

    private Models() {
    }

    public static List<String> names() {
        return List.of(SMALL_VGG, PREACT_RESNET18);
    }

    /** A freshly initialised model for images of [channels, height, width] and {@code classes} classes. */
    public static Module create(String name, int channels, int height, int width, int classes, long seed) {
        return create(name, channels, height, width, classes, false, seed);
    }

    /** As above; {@code finalNorm} builds the PreActResNet18 variant with a final {@code bn} (see {@link Inferred}). */
    public static Module create(String name, int channels, int height, int width, int classes, boolean finalNorm,
                                 long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return switch (name) {
            case SMALL_VGG -> new SmallVgg(channels, height, width, classes, rng);
            case PREACT_RESNET18 -> new PreActResNet18(channels, classes, finalNorm, rng);
            default -> throw unknown(name);
        };
    }

    /**
     * What the weights of a state dict fix: the classes (the classifier's rows) and the input channels (the
     * first convolution's). Height and width are {@code null}: PreActResNet18 pools adaptively and takes any
     * size, and SmallVgg's three flooring 2x2 poolings map 8 sizes per side to one, so its classifier fixes
     * only ⌊H/8⌋·⌊W/8⌋ (a 28x28 and a 24x24 input give the same weights); check a chosen size with
     * {@link Inferred#checkInput}.
     *
     * @param shapes the state dict's shapes by key (a {@code module.} prefix already stripped)
     * @throws IllegalArgumentException one line when the keys or shapes do not fit the architecture at all
     */
    public static Inferred infer(String name, Map<String, Shape> shapes) {
        return switch (name) {
            case SMALL_VGG -> {
                Shape conv = shape(name, shapes, "features.0.weight", 4);
                Shape classifier = shape(name, shapes, "classifier.weight", 2);
                int features = classifier.dim(1);
                if (features == 0 || features % SmallVgg.FEATURE_CHANNELS != 0) {
                    throw notLike(name, "classifier.weight " + classifier + " takes " + features + " features, not a "
                            + "positive multiple of the last convolution's " + SmallVgg.FEATURE_CHANNELS + " channels");
                }
                yield new Inferred(name, classifier.dim(0), conv.dim(1), features, false);
            }
            case PREACT_RESNET18 -> {
                Shape conv = shape(name, shapes, "conv1.weight", 4);
                Shape linear = shape(name, shapes, "linear.weight", 2);
                if (linear.dim(1) != PreActResNet18.FEATURES) {
                    throw notLike(name, "linear.weight " + linear + " takes " + linear.dim(1) + " features, not "
                            + PreActResNet18.FEATURES);
                }
                yield new Inferred(name, linear.dim(0), conv.dim(1), PreActResNet18.FEATURES,
                        shapes.containsKey("bn.weight"));
            }
            default -> throw unknown(name);
        };
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown model '" + name + "'; choose one of " + names());
    }

    private static Shape shape(String name, Map<String, Shape> shapes, String key, int rank) {
        Shape s = shapes.get(key);
        if (s == null) {
            throw notLike(name, "no " + key);
        }
        if (s.rank() != rank) {
            throw notLike(name, key + " has shape " + s + ", expected " + rank + " dimensions");
        }
        return s;
    }

    private static IllegalArgumentException notLike(String name, String problem) {
        return new IllegalArgumentException("does not look like a " + name + " checkpoint: " + problem
                + "; choose the architecture the model was trained as (one of " + names() + ")");
    }

    /**
     * The classes and input channels a state dict fixes, the classifier's in-features, which constrain the input
     * size for SmallVgg, and whether a PreActResNet18 has the final {@code bn} some copies of it add.
     */
    public record Inferred(String model, int classes, int channels, int classifierInputs, boolean finalNorm) {

        /**
         * Checks that [channels, height, width] inputs fit these weights.
         *
         * @throws IllegalArgumentException one line saying which dimension does not fit and what would
         */
        public void checkInput(int inputChannels, int height, int width) {
            if (inputChannels != channels) {
                throw new IllegalArgumentException("the " + model + " checkpoint takes " + channels + "-channel "
                        + "images (its first convolution), not " + inputChannels + "; give --input-shape "
                        + channels + "," + height + "," + width + " or images with " + channels + " channels");
            }
            if (!model.equals(SMALL_VGG)) {
                return;
            }
            int cells = classifierInputs / SmallVgg.FEATURE_CHANNELS;
            if (height < SmallVgg.DOWNSAMPLING || width < SmallVgg.DOWNSAMPLING
                    || SmallVgg.classifierInputs(height, width) != classifierInputs) {
                throw new IllegalArgumentException("a " + height + "x" + width + " input does not fit this "
                        + model + " checkpoint: its classifier takes " + classifierInputs + " features = "
                        + SmallVgg.FEATURE_CHANNELS + " channels x " + cells + " pooled positions (⌊H/"
                        + SmallVgg.DOWNSAMPLING + "⌋·⌊W/" + SmallVgg.DOWNSAMPLING + "⌋), a " + height + "x"
                        + width + " input gives " + SmallVgg.classifierInputs(height, width) + squareHint(cells)
                        + "; give the --input-shape the model was trained with");
            }
        }

        private static String squareHint(int cells) {
            int side = (int) Math.round(Math.sqrt(cells));
            return side * side == cells ? " (square inputs of " + side * SmallVgg.DOWNSAMPLING + " to "
                    + (side * SmallVgg.DOWNSAMPLING + SmallVgg.DOWNSAMPLING - 1) + " pixels fit)" : "";
        }
    }
}
