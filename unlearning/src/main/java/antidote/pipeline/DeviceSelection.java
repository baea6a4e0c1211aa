package antidote.pipeline;

import antidote.backend.Backend;
import antidote.backend.Backends;
import antidote.backend.cuda.CudaBackend;
import antidote.backend.cuda.CudaProvider;
import antidote.core.Device;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the device a command runs on ({@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto}) and remembers
 * which and why, for the report's provenance. The choice becomes the process's default device (the
 * {@code antidote.device} system property), on which every model, batch and tensor is then created. {@code auto}
 * is CUDA when a usable GPU and driver are found, else the CPU; {@code cuda} without one fails at once with one line
 * naming what is missing.
 */
public final class DeviceSelection {
    /** The forms {@link #select} accepts. */
    public static final String FORMS = "cpu, cuda, cuda:N or auto";
    private static final String PROPERTY = "antidote.device";

    /** A resolved device and why it was chosen. */
    public record Choice(Device device, String reason) {
    }

    private static volatile Choice chosen;

    private DeviceSelection() {
    }

    /**
     * Selects the device for the rest of the process. {@code requested} null means: {@code -Dantidote.device} or
     * {@code ANTIDOTE_DEVICE} when set, else auto.
     *
     * @throws IllegalArgumentException on a malformed name, or a CUDA device that is not usable here (one line)
     */
    public static Choice select(String requested) {
        String source = "--device";
        String text = requested;
        if (text == null) {
            text = System.getProperty(PROPERTY, System.getenv("ANTIDOTE_DEVICE"));
            source = "antidote.device";
        }
        if (text == null || text.isBlank()) {
            text = "auto";
        }
        text = text.trim().toLowerCase(Locale.ROOT);
        Choice choice = text.equals("auto") ? auto() : named(source, text);
        System.setProperty(PROPERTY, choice.device().toString());
        chosen = choice;
        return choice;
    }

    /** The selection's record for the report: the device, why, and the GPU's name and versions when it is one. */
    public static Map<String, Object> provenance() {
        Device device = Backends.defaultDevice();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", device.toString());
        Choice c = chosen;
        m.put("device_reason", c != null && c.device().equals(device) ? c.reason()
                : "the default device (no --device given)");
        if (!device.kind().equals(Device.CPU.kind()) && Backends.get(device) instanceof CudaBackend cuda) {
            Map<String, Object> gpu = cuda.properties();
            gpu.put("peak_memory_mib", cuda.peakBytes() >> 20);
            m.put("gpu", gpu);
        }
        return m;
    }

    private static Choice auto() {
        Optional<String> unavailable = new CudaProvider().unavailableReason();
        if (unavailable.isPresent()) {
            return new Choice(Device.CPU, "auto: no usable GPU (" + unavailable.get() + ")");
        }
        Device cuda = new Device("cuda", 0);
        try {
            return new Choice(cuda, "auto: " + Backends.get(cuda));
        } catch (RuntimeException e) {
            return new Choice(Device.CPU, "auto: the GPU could not be used (" + firstLine(e) + ")");
        }
    }

    private static Choice named(String source, String text) {
        Device device;
        try {
            device = Device.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " " + text + ": expected " + FORMS);
        }
        if (device.equals(Device.CPU)) {
            return new Choice(device, source + " cpu");
        }
        try {
            Backend backend = Backends.get(device);
            return new Choice(device, source + " " + text + ": " + backend);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " " + text + ": " + firstLine(e) + "; use --device cpu (or "
                    + "auto, which falls back to the CPU)");
        }
    }

    private static String firstLine(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
