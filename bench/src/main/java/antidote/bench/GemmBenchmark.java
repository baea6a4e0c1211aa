package antidote.bench;

import antidote.backend.Backend;
import antidote.backend.Backends;
import antidote.backend.Storage;
import antidote.core.Device;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** Square float32 matmul on the default CPU backend (threads from {@code -Dantidote.threads}). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dantidote.threads=2"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GemmBenchmark {
    @Param({"512", "1024", "2048"})
    int n;

    private Backend backend;
    private Storage a;
    private Storage b;

    @Setup
    public void setUp() {
        backend = Backends.get(Device.CPU);
        SplittableRandom rng = new SplittableRandom(0);
        a = backend.fromArray(Data.gaussian(rng, n * n));
        b = backend.fromArray(Data.gaussian(rng, n * n));
    }

    @Benchmark
    public Storage matmul() {
        return backend.matmul(a, b, 1, n, n, n);
    }
}
