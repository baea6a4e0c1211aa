package antidote.cli;

import antidote.bench.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code antidote bench}: one benchmark workload, printed as one JSON line (compare with the PyTorch anchor). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time one workload and print one JSON line: gemm, vgg-eval, vgg-train, hvp-mixed or "
                + "ibau-iteration (the protocol of the PyTorch anchor script's sections).")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--workload", required = true, description = "gemm, vgg-eval, vgg-train, hvp-mixed, ibau-iteration.")
    String workload;

    @Option(names = "--input", defaultValue = "3x32x32", description = "3x32x32 or 1x28x28 (default: ${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "2", description = "CPU threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--iters", defaultValue = "7", description = "Timed repeats; the median is reported "
            + "(default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--mode", description = "eval or train: the model mode of hvp-mixed and ibau-iteration "
            + "(default: the workload's own, as in the anchor script).")
    String mode;

    @Override
    public Integer call() {
        System.out.println(Workloads.run(workload, input, batch, threads, iters, mode));
        return 0;
    }
}
