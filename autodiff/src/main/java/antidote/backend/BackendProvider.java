package antidote.backend;

import java.util.Optional;

/** A {@link java.util.ServiceLoader} service that offers one kind of backend. */
public interface BackendProvider {

    /** The device kind this provider serves, e.g. "cpu" or "cuda". */
    String kind();

    /** Higher wins when no device is named; the CPU is 0. */
    int priority();

    /** Empty when usable on this machine, otherwise the reason it is not (e.g. "no libcuda.so.1"). */
    Optional<String> unavailableReason();

    /** The backend for device {@code index} of this kind. Called once per index; the result is cached. */
    Backend create(int index);
}
