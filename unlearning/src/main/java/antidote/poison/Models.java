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
