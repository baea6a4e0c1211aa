package antidote.defense;

import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.model.Tapped;
import antidote.tensor.Tensor;

/**
 * Finds the network inside a defended model for defenses that look at its layers. The model a defense receives
 * is either the network itself or {@code Sequential(Normalize, network)} (input normalisation in front of a model
 * trained on normalised images); the network is the last module either way.
 */
public final class Networks {
    private Networks() {
    }

    /** The network inside {@code model}: {@code model} itself, or the last layer of a {@link Sequential} wrapper. */
    public static Module network(Module model) {
        return model instanceof Sequential s && s.size() > 0 ? s.get(s.size() - 1) : model;
    }

    /**
     * The network inside {@code model} as a {@link Tapped} model, or a one-line error naming {@code defense}
     * and the architectures that have intermediate outputs.
     */
    public static Tapped tapped(Module model, String defense) {
        if (network(model) instanceof Tapped t) {
            return t;
        }
        throw new IllegalArgumentException(defense + " needs the network's intermediate outputs, which "
                + network(model).getClass().getSimpleName() + " does not report; use --arch small-vgg or preact-resnet18");
    }

    /** {@code model}'s forward pass on {@code x} (input layers in front of the network included), with the taps. */
    public static Tapped.Output forwardTapped(Module model, Tensor x, String defense) {
        Tapped network = tapped(model, defense);
        Tensor in = x;
        if (model instanceof Sequential s && s.size() > 0 && s.get(s.size() - 1) == network) {
            for (int i = 0; i < s.size() - 1; i++) {
                in = s.get(i).forward(in);
            }
        }
        return network.forwardTapped(in);
    }
}
