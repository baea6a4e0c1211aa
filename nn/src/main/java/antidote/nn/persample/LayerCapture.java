package antidote.nn.persample;

import antidote.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.Map;

/** The input and the output of each {@link PerSampleLayer} in one forward pass. */
public final class LayerCapture {
    /** What one layer saw and produced. */
    public record Seen(Tensor input, Tensor output) {
    }

    private final Map<PerSampleLayer, Seen> seen = new IdentityHashMap<>();

    /** Records {@code layer}'s input and output and returns the output; a layer may run once per pass. */
    public Tensor record(PerSampleLayer layer, Tensor input, Tensor output) {
        if (seen.putIfAbsent(layer, new Seen(input, output)) != null) {
            throw new IllegalStateException(layer.getClass().getSimpleName() + " ran twice in one forward pass: "
                    + "per-sample gradients need each layer applied once (share no layer between two places)");
        }
        return output;
    }

    /** What {@code layer} saw and produced, or null when it did not run. */
    public Seen of(PerSampleLayer layer) {
        return seen.get(layer);
    }
}
