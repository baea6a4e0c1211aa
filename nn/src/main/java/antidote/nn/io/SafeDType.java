package antidote.nn.io;

import antidote.core.DType;

import java.util.Arrays;
import java.util.Optional;

/** The safetensors element types Antidote reads and writes, with their header names and sizes. */
public enum SafeDType {
    F16(2, true),
    BF16(2, true),
    F32(4, true),
    F64(8, true),
    I32(4, false),
    I64(8, false);

    private final int byteSize;
    private final boolean floating;

    SafeDType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the floating-point types (whose values must be finite in a checkpoint). */
    public boolean floating() {
        return floating;
    }

    /** The type with header name {@code name} ("F16", "BF16", "F32", "F64", "I32", "I64"), if it is one of them. */
    public static Optional<SafeDType> parse(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** The floating type that stores a tensor of {@code dtype} without loss. */
    public static SafeDType of(DType dtype) {
        return dtype == DType.FLOAT64 ? F64 : F32;
    }
}
