package antidote.backend.cuda;

import antidote.backend.Backend;
import antidote.backend.Backends;
import antidote.core.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -cp ... antidote.backend.cuda.DeviceInfo [DEVICE]}: prints one JSON line describing a CUDA device (its
 * name, compute capability, memory, driver and CUDA versions, and which GEMM and convolution run), or why it cannot
 * be used, and exits 1 then. gpu-check.sh starts with it.
 */
public final class DeviceInfo {
    private DeviceInfo() {
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "cuda";
        Backend backend;
        try {
            backend = Backends.get(Device.parse(name));
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            System.out.println(json(Map.of("check", "device", "ok", false, "device", name, "error", why)));
            System.exit(1);
            return;
        }
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("check", "device");
        row.put("ok", true);
        row.put("device", name);
        if (backend instanceof CudaBackend cuda) {
            row.putAll(cuda.properties());
        } else {
            row.put("backend", backend.toString());
        }
        System.out.println(json(row));
    }

    /** A flat JSON object of strings, numbers and booleans. */
    static String json(Map<String, Object> row) {
        List<String> fields = new ArrayList<>();
        row.forEach((k, v) -> fields.add(quote(k) + ":" + (v instanceof Number || v instanceof Boolean
                ? String.format(Locale.ROOT, "%s", v) : quote(String.valueOf(v)))));
        return "{" + String.join(",", fields) + "}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
