package antidote.cli;

import antidote.defense.ibau.IbauSettings;
import antidote.defense.ibau.ImplicitHypergradient;
import antidote.pipeline.DefendRun;
import antidote.pipeline.DefenseOptions;
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

    @Option(names = "--lr", defaultValue = "0", description = "Learning rate of the model update: I-BAU's outer "
            + "Adam, SAU's Adam, fine-tuning's Adam; 0 keeps the defense's default (I-BAU 1e-3, SAU 1e-4 as in "
            + "BackdoorBench, fine-tuning 1e-3).")
    double lr;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ibau-variant", defaultValue = "reference-code", description = "I-BAU behaviour: reference-code "
            + "(model's own labels, 0.001||d||^2 penalty, d on 1%% of each outer batch, fixed-point map on the first "
            + "batch) or paper (true labels, hard L2 bound, d on every image, the current batch) "
            + "(default: ${DEFAULT-VALUE}).")
    String ibauVariant;

    @Option(names = "--solver", defaultValue = "fixed-point", description = "Linear solver of the I-BAU "
            + "hypergradient: fixed-point or cg (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--data-dir", description = "Where to look for the dataset first.")
    Path dataDir;

    @Option(names = "--out", required = true, description = "Output folder for the purified model.")
    Path out;

    @Override
    public Integer call() throws Exception {
        IbauSettings base = switch (ibauVariant) {
            case "reference-code" -> IbauSettings.referenceCode();
            case "paper" -> IbauSettings.paper();
            default -> throw new IllegalArgumentException("--ibau-variant must be reference-code or paper, got "
                    + ibauVariant);
        };
        ImplicitHypergradient.Solver kind = switch (solver) {
            case "fixed-point" -> ImplicitHypergradient.Solver.FIXED_POINT;
            case "cg" -> ImplicitHypergradient.Solver.CONJUGATE_GRADIENT;
            default -> throw new IllegalArgumentException("--solver must be fixed-point or cg, got " + solver);
        };
        ImplicitHypergradient.Settings h = base.hypergradient();
        IbauSettings ibau = base.withHypergradient(
                new ImplicitHypergradient.Settings(kind, h.iterations(), h.eta(), h.tolerance()));
        DefenseOutcome o = DefendRun.run(run, defense, cleanSamples,
                new DefenseOptions(rounds, lr, seed, ibau), dataDir, out, System.out);
        System.out.printf("%s: ACC %.2f%% -> %.2f%%  ASR %.2f%% -> %.2f%%  DER %.3f  in %.1f s%s; wrote %s%n",
                o.defense(), 100 * o.before().acc(), 100 * o.after().acc(), 100 * o.before().asr(),
                100 * o.after().asr(), o.der(), o.seconds(),
                o.timeToEffect() == null ? "" : String.format(" (ASR < 20%% after %.1f s)", o.timeToEffect()), out);
        return 0;
    }
}
