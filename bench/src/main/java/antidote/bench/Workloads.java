package antidote.bench;

import antidote.backend.Backend;
import antidote.backend.Backends;
import antidote.backend.Storage;
import antidote.backend.cpu.CpuBackend;
import antidote.backend.cuda.CudaBackend;
import antidote.backend.cuda.StepMemory;
import antidote.core.Device;
import antidote.nn.optim.Optimizer;
import antidote.poison.TrainingMemory;
import antidote.report.HeapUsage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs one workload of the PyTorch anchor script ({@code shared/anchors/torch_cpu_bench.py}) on the CPU
 * backend (or the device {@code -Dantidote.device} names, e.g. cuda) and returns ONE JSON line: the median of {@code iters} timed calls after a few untimed ones,
 * with the thread count, so the figure can sit next to PyTorch's in {@code bench/RESULTS.md}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar antidote.bench.Workloads gemm --input 1024 --threads 2 --iters 7
 * java -cp bench/target/benchmarks.jar antidote.bench.Workloads vgg-train --input 3x32x32 --batch 128
 * </pre>
 * Workloads: {@code gemm} (input = n of the square product, or n x n; an image shape means 1024),
 * {@code vgg-eval}, {@code vgg-train}, {@code vgg-dp-train} (a DP-SGD step, to compare with vgg-train), {@code hvp-mixed} (model in eval mode unless {@code --mode train}) and
 * {@code ibau-iteration} (train mode, as the anchor's default), and {@code preact-train} (PreAct-ResNet18's train
 * step); the image workloads take 3x32x32 or 1x28x28. The model workloads also report the JVM's heap figures
 * ({@link HeapUsage}) and the process's peak resident set, to set next to PyTorch's.
 */
public final class Workloads {
    /** The workloads {@link #run} knows. */
    public static final List<String> NAMES = List.of("gemm", "vgg-eval", "vgg-train", "vgg-dp-train", "hvp-mixed",
            "ibau-iteration", "preact-train");

    private Workloads() {
    }

    /** Runs {@code workload} with its default mode (see the class comment) and returns one JSON line. */
    public static String run(String workload, String input, int batch, int threads, int iters) {
        return run(workload, input, batch, threads, iters, null);
    }

    /**
     * Runs {@code workload} and returns one JSON line. {@code mode} is "eval" or "train" for hvp-mixed and
     * ibau-iteration, null for their defaults. The CPU backend must not have been created yet with another
     * thread count: this sets {@code -Dantidote.threads} before its first use, so that Antidote runs on
     * exactly the threads PyTorch is given.
     */
    public static String run(String workload, String input, int batch, int threads, int iters, String mode) {
        if (iters < 1 || batch < 1) {
            throw new IllegalArgumentException("iters and batch must be >= 1, got " + iters + " and " + batch);
        }
        // -Dantidote.device=cuda (or ANTIDOTE_DEVICE) runs the workload on that device; the CPU by default.
        Device device = Backends.defaultDevice();
        Backend backend = device.equals(Device.CPU) ? cpuBackend(threads) : Backends.get(device);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("workload", workload);
        switch (workload) {
            case "gemm" -> gemm(backend, input == null ? "1024" : input, iters, row);
            case "vgg-eval", "vgg-train", "vgg-dp-train", "hvp-mixed", "ibau-iteration", "preact-train" ->
                    model(workload, InputShape.parse(input == null ? "3x32x32" : input), batch, iters, mode, backend,
                            row);
            default -> throw new IllegalArgumentException("unknown workload '" + workload + "'; choose one of " + NAMES);
        }
        row.put("threads", threads);
        row.put("backend", backend.toString());
        row.put("java", System.getProperty("java.version"));
        row.put("vector_api", backend instanceof CpuBackend cpu && cpu.vectorized());
        return json(row);
    }

    /** The CPU backend with exactly {@code threads} threads, made so on first use. */
    private static Backend cpuBackend(int threads) {
        String configured = System.getProperty("antidote.threads");
        if (configured != null && !configured.trim().equals(Integer.toString(threads))) {
            throw new IllegalStateException("-Dantidote.threads=" + configured + " but the workload asks for " + threads
                    + " threads; drop the property or make them equal");
        }
        System.setProperty("antidote.threads", Integer.toString(threads));
        Backend backend = Backends.get(Device.CPU);
        if (!(backend instanceof CpuBackend cpu) || cpu.threads() != threads) {
            throw new IllegalStateException("the CPU backend was created before the workload with " + backend
                    + "; run the workload in a fresh JVM");
        }
        return backend;
    }

    private static void gemm(Backend backend, String input, int iters, Map<String, Object> row) {
        // The CLI's default input is an image shape; gemm then runs its default size.
        String size = input.trim().matches("\\d+x\\d+x\\d+") ? "1024" : input.trim().replaceFirst("x\\d+$", "");
        int n;
        try {
            n = Integer.parseInt(size);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gemm takes the matrix size as input (512, 1024, 2048), got '" + input
                    + "'", e);
        }
        SplittableRandom rng = new SplittableRandom(0);
        Storage a = backend.fromArray(Data.gaussian(rng, n * n));
        Storage b = backend.fromArray(Data.gaussian(rng, n * n));
        // Warm up (JIT) for a second, then, like the anchor, make one sample the mean of enough calls to last
        // about 0.15 s.
        long warm = System.nanoTime();
        double one;
        do {
            long t0 = System.nanoTime();
            backend.matmul(a, b, 1, n, n, n);
            one = (System.nanoTime() - t0) / 1e9;
        } while (System.nanoTime() - warm < 1_000_000_000L);
        int inner = Math.max(1, (int) (0.15 / Math.max(one, 1e-6)));
        Timing t = Timing.measure(1, iters, inner, () -> backend.matmul(a, b, 1, n, n, n));
        row.put("input", n + "x" + n);
        row.put("batch", 1);
        row.put("median_s", t.median());
        row.put("min_s", t.min());
        row.put("gflops", 2.0 * n * n * n / t.median() / 1e9);
        row.put("repeats", iters);
        row.put("inner", inner);
    }

    private static void model(String workload, InputShape input, int batch, int iters, String mode, Backend backend,
                              Map<String, Object> row) {
        ModelScenario s = workload.startsWith("preact-") ? ModelScenario.preActResNet18(input, batch)
                : new ModelScenario(input, batch);
        row.put("input", input.toString());
        row.put("batch", batch);
        List<Optimizer> optimizers = new ArrayList<>(List.of(s.optimizer()));
        Runnable call;
        switch (workload) {
            case "vgg-eval" -> call = s::evalForward;
            case "vgg-train", "preact-train" -> call = s::trainStep;
            case "vgg-dp-train" -> call = s::dpTrainStep;
            case "hvp-mixed" -> {
                boolean training = "train".equals(mode);
                row.put("mode", training ? "train" : "eval");
                call = () -> s.mixedProduct(training);
            }
            default -> {
                if ("eval".equals(mode)) {
                    throw new IllegalArgumentException("ibau-iteration runs in train mode, as the anchor's default");
                }
                row.put("mode", "train");
                IbauIteration ibau = new IbauIteration(s.model);
                optimizers.add(ibau.optimizer());
                call = () -> ibau.outerStep(s.x, s.labels);
            }
        }
        // On a GPU each call's device memory is released when it returns, as in training (nothing on the CPU).
        StepMemory memory = TrainingMemory.of(s.model, optimizers.toArray(new Optimizer[0]));
        Runnable unscoped = call;
        call = () -> memory.run(unscoped);
        Timing.warmUp(Timing.JIT_WARMUP_SECONDS, 3, call);
        HeapUsage.reset();
        CudaBackend gpu = backend instanceof CudaBackend cuda ? cuda : null;
        if (gpu != null) {
            gpu.resetPeakBytes();
        }
        Timing t = Timing.measure(0, iters, 1, call);
        if (gpu != null) {
            row.put("peak_device_mib", gpu.peakBytes() >> 20);
        }
        row.put("median_s", t.median());
        row.put("min_s", t.min());
        if (!workload.equals("ibau-iteration") && !workload.equals("hvp-mixed")) {
            row.put("images_per_s", batch / t.median());
        }
        row.put("repeats", iters);
        row.putAll(HeapUsage.describe());
        row.put("peak_rss_mib", peakRssMib());
    }

    /** The process's peak resident set (VmHWM), as {@code /usr/bin/time} reports it; -1 where unknown. */
    private static long peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static String json(Map<String, Object> row) {
        List<String> fields = new ArrayList<>();
        row.forEach((k, v) -> fields.add("\"" + k + "\":" + (v instanceof String s ? "\"" + s.replace("\"", "'") + "\""
                : v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v))));
        return "{" + String.join(",", fields) + "}";
    }

    /**
     * {@code Workloads [--workload] WORKLOAD [--input S] [--batch N] [--threads T] [--iters K] [--mode eval|train]}:
     * prints the JSON line ({@code ./antidote bench} runs this). Defaults: input 3x32x32 (1024 for gemm), batch 128,
     * threads 2, iters 7.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--workload")) {
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        if (args.length < 1 || args.length % 2 == 0) {
            System.err.println("usage: Workloads " + String.join("|", NAMES)
                    + " [--input 3x32x32|1x28x28|N] [--batch 128] [--threads 2] [--iters 7] [--mode eval|train]");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!Arrays.asList("--input", "--batch", "--threads", "--iters", "--mode").contains(args[i])) {
                System.err.println("unknown option " + args[i]);
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        try {
            System.out.println(run(args[0], options.get("--input"),
                    Integer.parseInt(options.getOrDefault("--batch", "128")),
                    Integer.parseInt(options.getOrDefault("--threads", "2")),
                    Integer.parseInt(options.getOrDefault("--iters", "7")), options.get("--mode")));
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Bad input (an unknown workload, a number that is not one, a wrong thread setting): one line.
            System.err.println("antidote bench: " + e.getMessage());
            System.exit(2);
        }
    }
}
