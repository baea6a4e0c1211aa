package antidote.backend;

import antidote.core.DType;

/** An opaque, immutable-by-convention buffer owned by one backend; only that backend reads its contents. */
public interface Storage {
    DType dtype();

    /** Number of elements. */
    int size();
}
