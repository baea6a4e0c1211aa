package antidote.defense.nad;

import antidote.defense.Networks;
import antidote.nn.Module;
import antidote.nn.model.PreActResNet18;
import antidote.nn.model.SmallVgg;

import java.util.List;

/**
 * Where NAD reads attention, from the lowest to the highest block (NAD used the three groups of a WRN-16-1):
 * SmallVgg's three blocks, taken after each block's pooling ({@code features.6}, {@code .14}, {@code .22}; before
 * its dropout, so the student's map does not carry a random dropout mask that the teacher's lacks), and
 * PreActResNet18's {@code layer2} to {@code layer4}.
 */
final class AttentionLayers {
    private AttentionLayers() {
    }

    /** The three tap names of {@code model}'s network, or a one-line error for another architecture. */
    static List<String> of(Module model) {
        Module network = Networks.network(model);
        if (network instanceof SmallVgg) {
            return List.of("features.6", "features.14", "features.22");
        }
        if (network instanceof PreActResNet18) {
            return List.of("layer2", "layer3", "layer4");
        }
        throw new IllegalArgumentException("NAD knows the blocks of SmallVgg and PreActResNet18, not "
                + network.getClass().getSimpleName() + "; use --arch small-vgg or preact-resnet18");
    }
}
