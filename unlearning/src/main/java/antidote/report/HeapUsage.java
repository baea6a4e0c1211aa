package antidote.report;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The JVM's own heap figures for a report: the heap it may use, and the peak of the heap in use right after a
 * collection (what the program still referenced, plus old garbage the collector had not reached yet). The
 * pools' peak usage is no such figure: with a large heap G1 lets garbage fill it before it collects, so that
 * peak measures the collector's patience, not the program.
 */
public final class HeapUsage {
    private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();
    private static boolean listening;

    private HeapUsage() {
    }

    /** Starts following collections (once per JVM) and clears the peak. */
    public static synchronized void reset() {
        if (!listening) {
            Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                    .collect(Collectors.toSet());
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (collector instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener((notification, handback) -> {
                        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                                .equals(notification.getType())) {
                            record(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()),
                                    heapPools);
                        }
                    }, null, null);
                }
            }
            listening = true;
        }
        PEAK_AFTER_GC.set(0);
    }

    private static void record(GarbageCollectionNotificationInfo info, Set<String> heapPools) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        PEAK_AFTER_GC.accumulateAndGet(used, Math::max);
    }

    /** The largest heap in use after a collection since {@link #reset}, in MiB; 0 if nothing was collected. */
    public static long peakAfterGcMib() {
        return PEAK_AFTER_GC.get() >> 20;
    }

    /** The heap the JVM may grow to (-Xmx), in MiB. */
    public static long maxHeapMib() {
        return Runtime.getRuntime().maxMemory() >> 20;
    }

    /** Both figures, named as the reports print them. */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_heap_mib", maxHeapMib());
        m.put("peak_heap_after_gc_mib", peakAfterGcMib());
        return m;
    }
}
