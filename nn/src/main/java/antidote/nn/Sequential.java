package antidote.nn;

import antidote.tensor.Tensor;

import java.util.List;

/** Modules applied one after another; children are named "0", "1", ... as in PyTorch's {@code nn.Sequential}. */
public final class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) {
            registerModule(Integer.toString(i), layers[i]);
        }
    }

    /** The layer at {@code index}. */
    public Module get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module layer : layers) {
            y = layer.forward(y);
        }
        return y;
    }
}
