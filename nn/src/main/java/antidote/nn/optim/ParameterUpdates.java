package antidote.nn.optim;

import antidote.nn.Parameter;
import antidote.tensor.Tensor;

import java.util.List;

/** The checks every optimizer makes on its inputs, and the write-back of an updated value. */
final class ParameterUpdates {
    private ParameterUpdates() {
    }

    /** Fails unless there is one gradient per parameter with the parameter's shape. */
    static void checkGradients(String optimizer, List<Parameter> params, List<Tensor> grads) {
        if (grads.size() != params.size()) {
            throw new IllegalArgumentException(optimizer + ".step: got " + grads.size() + " gradients for "
                    + params.size() + " parameters; pass Autodiff.grad(loss, model.parameterValues())");
        }
        for (int i = 0; i < params.size(); i++) {
            if (!grads.get(i).shape().equals(params.get(i).shape())) {
                throw new IllegalArgumentException(optimizer + ".step: gradient " + i + " has shape "
                        + grads.get(i).shape() + " but parameter " + i + " has shape " + params.get(i).shape()
                        + "; gradients must follow parameters() order");
            }
        }
    }

    /** Fails on a negative or non-finite hyper-parameter. */
    static void checkNonNegative(String optimizer, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(optimizer + ": " + name + " must be a finite number >= 0, got " + value);
        }
    }

    /** Stores {@code value} in the parameter as a fresh leaf. */
    static void write(Parameter p, Tensor value) {
        p.set(value.detach().withGrad());
    }
}
