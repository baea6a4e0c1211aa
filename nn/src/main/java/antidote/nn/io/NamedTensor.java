package antidote.nn.io;

import antidote.tensor.Tensor;

/** A tensor to write under {@code name}, stored as {@code dtype}. */
public record NamedTensor(String name, SafeDType dtype, Tensor tensor) {
}
