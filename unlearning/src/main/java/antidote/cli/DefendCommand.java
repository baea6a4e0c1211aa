package antidote.cli;

import antidote.pipeline.DefendRun;
import antidote.pipeline.DefenseOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code antidote defend}: purifies a poisoned model. */
@Command(name = "defend", mixinStandardHelpOptions = true,
        description = "Remove the backdoor of a trained run with a defense; writes DIR2/model.safetensors and "
                + "DIR2/report.json. The clean set is the first part of the test set's first half; metrics use the "
                + "second half.")
public final class DefendCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "A folder written by 'antidote train'.")
    Path run;

    @Option(names = "--defense", defaultValue = "ibau", description = "ibau, sau, ft or naive-uap (default: ${DEFAULT-VALUE}).")
    String defense;

    @Option(names = "--clean-samples", defaultValue = "5000", description = "Size of the defender's clean set "
            + "(default: ${DEFAULT-VALUE}, capped by half the test set).")
    int cleanSamples;

    @Option(names = "--rounds", defaultValue = "0", description = "I-BAU/naive-UAP rounds or SAU/fine-tuning epochs; "
            + "0 keeps the defense's default (I-BAU 1, SAU 100, fine-tuning 5).")
    int rounds;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", description = "Where to look for the dataset first.")
    Path dataDir;

    @Option(names = "--out", required = true, description = "Output folder for the purified model.")
    Path out;

    @Override
    public Integer call() throws Exception {
        DefenseOutcome o = DefendRun.run(run, defense, cleanSamples, rounds, seed, dataDir, out, System.out);
        System.out.printf("%s: ACC %.2f%% -> %.2f%%  ASR %.2f%% -> %.2f%%  DER %.3f  in %.1f s%s; wrote %s%n",
                o.defense(), 100 * o.before().acc(), 100 * o.after().acc(), 100 * o.before().asr(),
                100 * o.after().asr(), o.der(), o.seconds(),
                o.timeToEffect() == null ? "" : String.format(" (ASR < 20%% after %.1f s)", o.timeToEffect()), out);
        return 0;
    }
}
