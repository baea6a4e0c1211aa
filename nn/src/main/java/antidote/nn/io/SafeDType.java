package antidote.nn.io;

import antidote.tensor.DType;

import java.util.Arrays;
import java.util.Optional;

/** The safetensors element types Antidote reads and writes, with their header names and sizes. */
public enum SafeDType {
    F32(4),
    F64(8),
    I64(8);

    private final int byteSize;

    SafeDType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The type with header name {@code name} ("F32", "F64", "I64"), if it is one of them. */
    public static Optional<SafeDType> parse(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** The floating type that stores a tensor of {@code dtype} without loss. */
    public static SafeDType of(DType dtype) {
        return dtype == DType.FLOAT64 ? F64 : F32;
    }
}
