package antidote.nn.io;

import antidote.tensor.Shape;

/**
 * One validated tensor of a safetensors header: its type, shape and byte range [begin, end) within the
 * data section.
 */
public record TensorEntry(String name, SafeDType dtype, Shape shape, long begin, long end) {

    /** The number of data bytes. */
    public long byteLength() {
        return end - begin;
    }
}
