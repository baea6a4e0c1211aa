package antidote.backend.cpu;

import antidote.backend.Backend;
import antidote.backend.BackendProvider;

import java.util.Optional;

/** Offers the CPU backend (kind "cpu", priority 0, always available); {@code -Dantidote.threads} sets its threads. */
public final class CpuProvider implements BackendProvider {
    @Override
    public String kind() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Backend create(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("there is one CPU device, cpu:0; got cpu:" + index);
        }
        return new CpuBackend(threads());
    }

    private static int threads() {
        String value = System.getProperty("antidote.threads");
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dantidote.threads=" + value + " is not a whole number of threads", e);
        }
    }
}
