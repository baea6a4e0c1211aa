package antidote.report;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bars of every long step (training epochs, defense rounds, evaluation), drawn on standard error:
 * redrawn in place every second on a terminal; when standard error goes to a log file, CI or a scheduler, one plain
 * line every {@link #LOG_INTERVAL_MILLIS} ms instead, so that a log is not filled with carriage-return frames.
 */
public final class ProgressBars {
    /** How often a progress line is written when there is no terminal. */
    public static final int LOG_INTERVAL_MILLIS = 10_000;

    private ProgressBars() {
    }

    public static ProgressBar open(String task, long steps) {
        boolean terminal = System.console() != null;
        return open(task, steps, terminal ? new ConsoleProgressBarConsumer(System.err)
                : new DelegatingProgressBarConsumer(System.err::println), terminal ? 1000 : LOG_INTERVAL_MILLIS);
    }

    /** A bar drawn by {@code consumer} every {@code intervalMillis}. */
    static ProgressBar open(String task, long steps, ProgressBarConsumer consumer, int intervalMillis) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(consumer).setUpdateIntervalMillis(intervalMillis).build();
    }
}
