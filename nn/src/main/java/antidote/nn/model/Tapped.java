package antidote.nn.model;

import antidote.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model whose forward pass can also hand back intermediate outputs, for defenses that look inside the network
 * (Fine-Pruning's last convolution, NAD's attention maps). Each output is named by the state-dict path of the
 * module that produced it ({@code features.21}, {@code layer4}), so the names match the checkpoint's keys and
 * no new naming scheme is needed. The outputs are the very tensors the forward pass computed: while gradients
 * are recorded, a loss on them reaches the parameters.
 */
public interface Tapped {

    /** The names {@link #forwardTapped} reports, in forward order. */
    List<String> tapNames();

    /**
     * The forward pass, putting each named intermediate output into {@code taps} when it is not null (a null map
     * is the plain forward pass).
     */
    Tensor forwardRecording(Tensor x, Map<String, Tensor> taps);

    /** One forward pass: the same logits as {@code forward(x)}, with every named intermediate output. */
    default Output forwardTapped(Tensor x) {
        Map<String, Tensor> taps = new LinkedHashMap<>();
        Tensor logits = forwardRecording(x, taps);
        return new Output(logits, taps);
    }

    /** The logits and the named intermediate outputs of one forward pass. */
    record Output(Tensor logits, Map<String, Tensor> taps) {
        public Output {
            taps = Map.copyOf(taps);
        }

        /** The output of the module at {@code name}; a one-line error lists the names there are. */
        public Tensor tap(String name) {
            Tensor t = taps.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no intermediate output '" + name + "'; this model has "
                        + taps.keySet().stream().sorted().toList());
            }
            return t;
        }
    }
}
