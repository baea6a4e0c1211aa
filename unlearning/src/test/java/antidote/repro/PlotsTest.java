package antidote.repro;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotsTest {
    @TempDir
    Path dir;

    private static XYChart chart() {
        XYChart chart = new XYChartBuilder().width(200).height(100).title("t").build();
        chart.addSeries("s", new double[]{0, 1}, new double[]{1, 2});
        return chart;
    }

    @Test
    void writesAPng() throws IOException {
        Path file = dir.resolve("a.png");
        Plots.save(chart(), file);
        byte[] header = new byte[4];
        System.arraycopy(Files.readAllBytes(file), 0, header, 0, 4);
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, header);
        assertEquals(1, files(), "only the plot, no temporary file");
    }

    /** On a machine without the runtime's font libraries (seen on a GPU machine: libharfbuzz missing). */
    @Test
    void aRuntimeThatCannotDrawTextWarnsInOneLineAndLeavesNoFile() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path file = dir.resolve("b.png");
        boolean written = Plots.save(chart(), file, (chart, stem) -> {
            throw new UnsatisfiedLinkError("libfontmanager.so: libharfbuzz.so.0: cannot open shared object file");
        }, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertFalse(written);
        String warning = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, warning.lines().count(), warning);
        assertTrue(warning.startsWith("warning: b.png not drawn") && warning.contains("libharfbuzz"), warning);
        assertEquals(0, files(), "neither the plot nor a temporary file");
    }

    private long files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
