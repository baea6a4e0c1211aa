package antidote.tensor;

import antidote.backend.Backends;
import antidote.backend.Storage;
import antidote.core.Device;
import antidote.grad.GradMode;
import antidote.grad.Node;
import antidote.op.Op;
import antidote.op.Primitive;

/**
 * Applies a primitive: checks devices and dtypes, runs the kernel, and records a graph node when needed. It lives
 * beside {@link Tensor} so that wrapping a kernel's result with its node stays package-private.
 */
public final class Dispatch {
    private Dispatch() {
    }

    public static Tensor apply(Op op, Tensor... inputs) {
        Device device = inputs[0].device();
        for (Tensor t : inputs) {
            if (!t.device().equals(device)) {
                throw new IllegalArgumentException(op.name() + ": inputs on different devices (" + device + " and "
                        + t.device() + "); move them with .to(device) first");
            }
            if (op.primitive() != Primitive.CAST && t.dtype() != inputs[0].dtype()) {
                throw new IllegalArgumentException(op.name() + ": inputs of different dtypes (" + inputs[0].dtype()
                        + " " + inputs[0].shape() + " and " + t.dtype() + " " + t.shape() + "); cast with .to(dtype)");
            }
        }
        Shape out = op.outputShape(inputs);
        Storage storage = op.forward(Backends.get(device), inputs, out);
        Node node = null;
        if (op.differentiable() && GradMode.isEnabled()) {
            for (Tensor t : inputs) {
                if (t.requiresGrad()) {
                    node = new Node(op, inputs);
                    break;
                }
            }
        }
        return Tensor.fromStorage(storage, out, device, node);
    }
}
