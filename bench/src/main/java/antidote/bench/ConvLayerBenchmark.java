package antidote.bench;

import antidote.backend.Backend;
import antidote.backend.Backends;
import antidote.backend.ConvGeometry;
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

/**
 * Each 3x3 (padding 1) convolution of SmallVgg on a 3x32x32 input at batch 128, in its three kernels:
 * forward, input gradient and filter gradient. {@code layer} is "inChannels-outChannels-size".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dantidote.threads=2"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ConvLayerBenchmark {
    private static final int BATCH = 128;
    private static final ConvGeometry SAME = ConvGeometry.of(1, 1);

    @Param({"3-32-32", "32-32-32", "32-64-16", "64-64-16", "64-128-8", "128-128-8"})
    String layer;

    private Backend backend;
    private int[] xShape;
    private int[] wShape;
    private int[] gradShape;
    private Storage x;
    private Storage w;
    private Storage grad;

    @Setup
    public void setUp() {
        String[] p = layer.split("-");
        int in = Integer.parseInt(p[0]);
        int out = Integer.parseInt(p[1]);
        int size = Integer.parseInt(p[2]);
        xShape = new int[]{BATCH, in, size, size};
        wShape = new int[]{out, in, 3, 3};
        gradShape = new int[]{BATCH, out, size, size};
        backend = Backends.get(Device.CPU);
        SplittableRandom rng = new SplittableRandom(0);
        x = backend.fromArray(Data.gaussian(rng, BATCH * in * size * size));
        w = backend.fromArray(Data.gaussian(rng, out * in * 9));
        grad = backend.fromArray(Data.gaussian(rng, BATCH * out * size * size));
    }

    @Benchmark
    public Storage forward() {
        return backend.conv2d(x, xShape, w, wShape, SAME);
    }

    @Benchmark
    public Storage backwardInput() {
        return backend.conv2dBackwardInput(grad, gradShape, w, wShape, xShape, SAME);
    }

    @Benchmark
    public Storage backwardFilter() {
        return backend.conv2dBackwardFilter(x, xShape, grad, gradShape, wShape, SAME);
    }
}
