package antidote.backend;

import antidote.core.Device;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds backends through {@link ServiceLoader}. The default device is, in order: the system property
 * {@code antidote.device}, the environment variable {@code ANTIDOTE_DEVICE}, then the available provider
 * with the highest priority.
 */
public final class Backends {
    private static final Map<Device, Backend> CACHE = new ConcurrentHashMap<>();
    private static volatile List<BackendProvider> providers;

    private Backends() {
    }

    /** The backend that serves {@code device}, created on first use. */
    public static Backend get(Device device) {
        return CACHE.computeIfAbsent(device, d -> {
            BackendProvider provider = providers().stream().filter(p -> p.kind().equals(d.kind())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no backend for device '" + d
                            + "'; known kinds: " + describe()));
            provider.unavailableReason().ifPresent(reason -> {
                throw new IllegalStateException("device '" + d + "' is not usable here: " + reason);
            });
            return provider.create(d.index());
        });
    }

    /** The device used when none is named. */
    public static Device defaultDevice() {
        String named = System.getProperty("antidote.device", System.getenv("ANTIDOTE_DEVICE"));
        if (named != null && !named.isBlank()) {
            return Device.parse(named);
        }
        return providers().stream().filter(p -> p.unavailableReason().isEmpty())
                .max(Comparator.comparingInt(BackendProvider::priority))
                .map(p -> new Device(p.kind(), 0))
                .orElse(Device.CPU);
    }

    /** Every provider on the class path with its availability, for diagnostics. */
    public static String describe() {
        List<String> parts = new ArrayList<>();
        for (BackendProvider p : providers()) {
            parts.add(p.kind() + p.unavailableReason().map(r -> " (unavailable: " + r + ")").orElse(""));
        }
        return String.join(", ", parts);
    }

    private static List<BackendProvider> providers() {
        if (providers == null) {
            List<BackendProvider> found = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class).forEach(found::add);
            providers = List.copyOf(found);
        }
        return providers;
    }
}
