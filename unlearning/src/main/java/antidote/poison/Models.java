package antidote.poison;

import antidote.nn.Module;
import antidote.nn.model.PreActResNet18;
import antidote.nn.model.SmallVgg;

import java.util.List;
import java.util.SplittableRandom;

/** The models the command line can train and defend, by name. */
public final class Models {
    public static final String SMALL_VGG = "small-vgg";
    public static final String PREACT_RESNET18 = "preact-resnet18";

    private Models() {
    }

    public static List<String> names() {
        return List.of(SMALL_VGG, PREACT_RESNET18);
    }

    /** What a checkpoint's weights fix about its model: classes, input channels, and the image size when known. */
    public record Shape(int classes, int channels, Integer height, Integer width) {
    }

    /** The classes and input channels of an {@code arch} checkpoint from its state-dict shapes. */
    public static Shape infer(String arch, java.util.Map<String, antidote.tensor.Shape> shapes) {
        String first = arch.equals(SMALL_VGG) ? "features.0.weight" : "conv1.weight";
        String last = arch.equals(SMALL_VGG) ? null : "linear.weight";
        if (last == null) {
            last = shapes.keySet().stream().filter(k -> k.startsWith("classifier.") && k.endsWith(".weight"))
                    .reduce((a, b) -> b).orElse(null);
        }
        if (!shapes.containsKey(first) || last == null || !shapes.containsKey(last)) {
            throw new IllegalArgumentException("the checkpoint does not look like a " + arch + " state dict: it has no "
                    + first + " or no classifier weight");
        }
        return new Shape(shapes.get(last).dim(0), shapes.get(first).dim(1), null, null);
    }

    /** A freshly initialised model for images of [channels, height, width] and {@code classes} classes. */
    public static Module create(String name, int channels, int height, int width, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return switch (name) {
            case SMALL_VGG -> new SmallVgg(channels, height, width, classes, rng);
            case PREACT_RESNET18 -> new PreActResNet18(channels, classes, rng);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; choose one of " + names());
        };
    }
}
