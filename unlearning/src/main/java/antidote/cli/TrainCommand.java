package antidote.cli;

import antidote.pipeline.TrainRun;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code antidote train}: trains a poisoned model. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a poisoned training set; writes DIR/model.safetensors and DIR/report.json.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options = new TrainOptions();

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    /** At most one of the two: what to do with a run already in --out. */
    static final class Existing {
        @Option(names = "--resume", description = "Continue the run in --out from its last finished epoch (same options; "
                + "--epochs may grow).")
        boolean resume;

        @Option(names = "--overwrite", description = "Replace the run in --out (by default a used --out is refused).")
        boolean overwrite;
    }

    @ArgGroup(exclusive = true)
    Existing existing;

    @Mixin DeviceOption device;

    @Override
    public Integer call() throws Exception {
        device.select();
        TrainRun.ExistingRun mode = existing == null ? TrainRun.ExistingRun.REFUSE
                : existing.resume ? TrainRun.ExistingRun.RESUME : TrainRun.ExistingRun.OVERWRITE;
        var last = TrainRun.run(options.config(), options.dataDir, out, mode, System.out);
        System.out.printf("done: ACC %.2f%%  ASR %.2f%%  R-ACC %.2f%%  in %.1f s; wrote %s%n", 100 * last.acc(),
                100 * last.asr(), 100 * last.racc(), last.seconds(), out.resolve(TrainRun.MODEL));
        return 0;
    }
}
