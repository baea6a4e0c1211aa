package antidote.check;

import antidote.backend.Backend;
import antidote.backend.BackendProvider;

import java.util.Optional;

/** Offers the reference backend as device kind "reference" (lowest priority: never the default). */
public final class ReferenceProvider implements BackendProvider {
    public String kind() {
        return "reference";
    }

    public int priority() {
        return -100;
    }

    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    public Backend create(int index) {
        return new ReferenceBackend();
    }
}
