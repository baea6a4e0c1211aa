package antidote.defense.fp;

import antidote.repro.Plots;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The pruning curve as a PNG: the share of the last convolution's channels pruned against the accuracy on the
 * held-out clean images. Only ACC is drawn: the defense sees clean images alone, so the ASR during pruning is
 * unknown to it (the run's report has ASR before and after).
 */
final class PruningPlot {
    private PruningPlot() {
    }

    static void write(Path file, int channels, List<Double> accuracyCurve, int pruned, double threshold,
                      int heldOut) throws IOException {
        double[] share = new double[accuracyCurve.size()];
        double[] acc = new double[accuracyCurve.size()];
        for (int k = 0; k < share.length; k++) {
            share[k] = 100.0 * k / channels;
            acc[k] = 100 * accuracyCurve.get(k);
        }
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("Fine-Pruning: " + pruned + " of " + channels + " channels pruned")
                .xAxisTitle("channels of the last convolution pruned (percent)")
                .yAxisTitle("percent").build();
        chart.addSeries("ACC on the " + heldOut + " held-out clean images", share, acc).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("stop threshold", new double[] {0, share[share.length - 1]},
                new double[] {100 * threshold, 100 * threshold}).setMarker(SeriesMarkers.NONE);
        chart.addSeries("kept", new double[] {100.0 * pruned / channels}, new double[] {acc[pruned]})
                .setMarker(SeriesMarkers.DIAMOND);
        Plots.save(chart, file);
    }
}
