package antidote.repro;

import antidote.poison.EpochRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.AWTError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * PNG charts drawn with XChart: ACC and ASR per round and against seconds for each defense, and the Figure 1
 * stability plot.
 */
public final class Plots {
    private Plots() {
    }

    /** One chart per metric with a line per defense, x = round (0 is before the defense). */
    public static void perRound(Path file, String title, EpochRecord before, Map<String, List<EpochRecord>> histories)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("round / epoch")
                .yAxisTitle("percent").build();
        for (Map.Entry<String, List<EpochRecord>> e : histories.entrySet()) {
            addSeries(chart, e.getKey() + " ACC", before.acc(), e.getValue(), true);
            addSeries(chart, e.getKey() + " ASR", before.asr(), e.getValue(), false);
        }
        save(chart, file);
    }

    /** The curve of the paper's Table 6: ACC and ASR of every defense against its seconds of compute (0 is before). */
    public static void versusSeconds(Path file, String title, EpochRecord before,
                                     Map<String, List<EpochRecord>> histories) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("defense seconds")
                .yAxisTitle("percent").build();
        for (Map.Entry<String, List<EpochRecord>> e : histories.entrySet()) {
            double[] x = new double[e.getValue().size() + 1];
            double[] acc = new double[x.length];
            double[] asr = new double[x.length];
            acc[0] = 100 * before.acc();
            asr[0] = 100 * before.asr();
            for (int i = 0; i < e.getValue().size(); i++) {
                EpochRecord r = e.getValue().get(i);
                x[i + 1] = r.seconds();
                acc[i + 1] = 100 * r.acc();
                asr[i + 1] = 100 * r.asr();
            }
            chart.addSeries(e.getKey() + " ACC", x, acc).setMarker(SeriesMarkers.CIRCLE);
            chart.addSeries(e.getKey() + " ASR", x, asr).setMarker(SeriesMarkers.DIAMOND);
        }
        save(chart, file);
    }

    /** ASR per round of each seed, I-BAU's runs beside the naive baseline's (the paper's Figure 1). */
    public static void stability(Path file, double asrBefore, Map<String, List<EpochRecord>> runs) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("Stability across seeds: ASR per round (I-BAU vs naive UAP unlearning)")
                .xAxisTitle("round").yAxisTitle("ASR percent").build();
        runs.forEach((name, history) -> addSeries(chart, name, asrBefore, history, false));
        save(chart, file);
    }

    private static void addSeries(XYChart chart, String name, double start, List<EpochRecord> history, boolean acc) {
        double[] x = new double[history.size() + 1];
        double[] y = new double[history.size() + 1];
        y[0] = 100 * start;
        for (int i = 0; i < history.size(); i++) {
            x[i + 1] = history.get(i).epoch();
            y[i + 1] = 100 * (acc ? history.get(i).acc() : history.get(i).asr());
        }
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
    }

    /**
     * Renders {@code chart} as a PNG to a temporary file, then renames it into place (also used by defenses' plots).
     * Where Java cannot draw here (a runtime without its font libraries, e.g. a container lacking libharfbuzz or
     * fontconfig) it prints one warning line instead of failing: a plot is never worth the tables and models of a
     * run.
     */
    public static void save(XYChart chart, Path file) throws IOException {
        save(chart, file, (c, stem) -> BitmapEncoder.saveBitmap(c, stem, BitmapEncoder.BitmapFormat.PNG), System.err);
    }

    /** Draws a chart as a PNG at {@code stem}.png. */
    @FunctionalInterface
    interface Renderer {
        void render(XYChart chart, String stem) throws IOException;
    }

    /** {@link #save(XYChart, Path)} with its drawing and its warnings given; true when the plot was written. */
    static boolean save(XYChart chart, Path file, Renderer renderer, PrintStream log) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".plot", ".png");
        try {
            renderer.render(chart, tmp.toString().replaceAll("\\.png$", ""));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (LinkageError | AWTError | InternalError e) {
            log.println("warning: " + file.getFileName() + " not drawn: Java cannot render text on this machine ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); the results are written without "
                    + "it. Install the Java runtime's font libraries (Debian: apt-get install libharfbuzz0b "
                    + "libfreetype6 fontconfig) to get the plots.");
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
