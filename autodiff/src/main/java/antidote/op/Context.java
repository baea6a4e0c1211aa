package antidote.op;

import antidote.tensor.Tensor;

import java.util.function.IntFunction;

/**
 * What a rule reads: the inputs its graph node recorded (saved values such as batch norm's moments are inputs
 * too) and the output they gave.
 */
public record Context(Tensor[] inputs, Tensor output) {

    public Tensor input(int i) {
        return inputs[i];
    }

    /** The gradients of the flagged inputs, each computed by {@code gradientOf} only when flagged; null elsewhere. */
    public static Tensor[] each(boolean[] needed, IntFunction<Tensor> gradientOf) {
        Tensor[] out = new Tensor[needed.length];
        for (int i = 0; i < needed.length; i++) {
            if (needed[i]) {
                out[i] = gradientOf.apply(i);
            }
        }
        return out;
    }
}
