package antidote.cli;

import antidote.pipeline.TrainRun;
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

    @Option(names = "--resume", description = "Continue from the last finished epoch in --out.")
    boolean resume;

    @Mixin DeviceOption device;

    @Override
    public Integer call() throws Exception {
        device.select();
        var last = TrainRun.run(options.config(), options.dataDir, out, resume, System.out);
        System.out.printf("done: ACC %.2f%%  ASR %.2f%%  R-ACC %.2f%%  in %.1f s; wrote %s%n", 100 * last.acc(),
                100 * last.asr(), 100 * last.racc(), last.seconds(), out.resolve(TrainRun.MODEL));
        return 0;
    }
}
