package antidote.report;

import antidote.nn.io.ModelInfo;
import antidote.pipeline.DeviceSelection;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every experiment output records about where it ran: versions, machine, heap (the JVM's own figures, up to
 * the moment the report is written), device (and why; the GPU) and time.
 */
public final class Provenance {
    private Provenance() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("antidote_version", ModelInfo.antidoteVersion());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.putAll(HeapUsage.describe());
        m.putAll(DeviceSelection.provenance());
        m.put("threads", System.getProperty("antidote.threads", "all cores"));
        m.put("time", Instant.now().toString());
        return m;
    }
}
