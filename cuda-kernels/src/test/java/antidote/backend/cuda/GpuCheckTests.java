package antidote.backend.cuda;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * {@code GpuCheckTests NAME [--no-skips] CLASS[#METHOD]...}: runs test classes (or single methods) without Maven and
 * prints one JSON line {@code {"check": NAME, "ok", "tests", "failed", "skipped", "seconds"}}; exits 1 on a failure,
 * or, with {@code --no-skips}, when a test was skipped (on a GPU machine, a skipped GPU test means the GPU was not
 * usable). The failures' messages go to stderr. gpu-check.sh runs the conformance suite and the gradient-spec table
 * with it.
 */
public final class GpuCheckTests {
    private GpuCheckTests() {
    }

    public static void main(String[] args) {
        String name = args[0];
        boolean noSkips = false;
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--no-skips")) {
                noSkips = true;
            } else if (args[i].contains("#")) {
                request.selectors(selectMethod(args[i]));
            } else {
                request.selectors(selectClass(args[i]));
            }
        }
        LauncherDiscoveryRequest discovery = request.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long t0 = System.nanoTime();
        // The tests' own output goes to stderr, so that stdout holds only JSON lines.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            launcher.execute(discovery, listener);
        } finally {
            System.setOut(stdout);
        }
        TestExecutionSummary summary = listener.getSummary();
        long failed = summary.getTotalFailureCount();
        long skipped = summary.getTestsSkippedCount() + summary.getTestsAbortedCount();
        boolean ok = failed == 0 && summary.getTestsSucceededCount() > 0 && !(noSkips && skipped > 0);
        if (!ok) {
            StringWriter report = new StringWriter();
            summary.printFailuresTo(new PrintWriter(report), 5);
            System.err.println(report);
        }
        List<String> fields = new ArrayList<>(List.of("\"check\":\"" + name + "\"", "\"ok\":" + ok,
                "\"tests\":" + summary.getTestsFoundCount(), "\"failed\":" + failed, "\"skipped\":" + skipped,
                String.format(Locale.ROOT, "\"seconds\":%.1f", (System.nanoTime() - t0) / 1e9)));
        System.out.println("{" + String.join(",", fields) + "}");
        System.exit(ok ? 0 : 1);
    }
}
