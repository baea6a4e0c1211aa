package antidote.report;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bars of every long step (training epochs, defense rounds), drawn on standard error. */
public final class ProgressBars {
    private ProgressBars() {
    }

    /** A bar redrawn every second on a terminal and every 30 s when standard error goes to a log file. */
    public static ProgressBar open(String task, long steps) {
        boolean terminal = System.console() != null;
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(terminal ? 1000 : 30_000).build();
    }
}
