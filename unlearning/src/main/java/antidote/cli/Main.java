package antidote.cli;

import antidote.report.HeapUsage;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code antidote} command line: one subcommand per job. */
@Command(name = "antidote", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Removes backdoors from poisoned image classifiers (I-BAU, SAU) with a Java deep-learning engine.",
        subcommands = {DataCommand.class, TrainCommand.class, EvaluateCommand.class, DefendCommand.class,
                ReproduceCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        HeapUsage.reset();
        int status;
        try {
            status = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // The heap is fixed by the launcher; a bigger model or batch needs a bigger one, not a stack trace.
            System.err.println("antidote: out of heap memory (the JVM may use " + HeapUsage.maxHeapMib()
                    + " MiB); give it more, e.g. ANTIDOTE_JAVA_OPTS=\"-Xms4g -Xmx4g\" ./antidote ...");
            status = 3;
        }
        System.exit(status);
    }

    /** The configured parser: one-line errors followed by the usage, exceptions as one-line messages. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // As in most command lines, an option given twice takes its last value (scripts append overrides).
        cl.setOverwrittenOptionsAllowed(true);
        DefenseSettingOptions.addTo(cl.getSubcommands().get("defend").getCommandSpec(), true);
        DefenseSettingOptions.addTo(cl.getSubcommands().get("reproduce").getCommandSpec(), false);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("antidote: " + ex.getMessage());
            cmd.usage(cmd.getErr());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("antidote " + cmd.getCommandName() + ": " + ex.getMessage());
            if (System.getenv("ANTIDOTE_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
