package antidote.report;

import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a terminal (as under Maven, CI or a scheduler), progress is plain lines, never carriage-return frames. */
class ProgressBarsTest {

    @Test
    void withoutATerminalProgressIsWrittenAsPlainLines() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true));
        try (ProgressBar bar = ProgressBars.open("task", 3)) {
            bar.stepTo(3);
        } finally {
            System.setErr(original);
        }
        String log = err.toString();
        assertFalse(log.contains("\r"), "carriage returns in: " + log);
        assertTrue(log.contains("task") && log.contains("3/3") && log.endsWith(System.lineSeparator()), log);
    }
}
