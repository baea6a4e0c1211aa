package antidote.bench;

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

import java.util.concurrent.TimeUnit;

/**
 * The model workloads of {@link Workloads} under JMH, batch 128: SmallVgg eval forward and train step, the
 * mixed second-order product ∂/∂θ ⟨∇_δL, v⟩ and one I-BAU outer iteration. Few, long iterations: each call
 * takes a large fraction of a second on two cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dantidote.threads=2", "-Xmx8g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class ModelBenchmark {
    @Param({"3x32x32", "1x28x28"})
    String input;

    private ModelScenario model;
    private IbauIteration ibau;

    @Setup
    public void setUp() {
        model = new ModelScenario(InputShape.parse(input), 128);
        ibau = new IbauIteration(model.model);
    }

    @Benchmark
    public Object vggEvalForward() {
        return model.evalForward();
    }

    @Benchmark
    public Object vggTrainStep() {
        return model.trainStep();
    }

    @Benchmark
    public Object mixedProduct() {
        return model.mixedProduct(false);
    }

    @Benchmark
    public Object ibauIteration() {
        return ibau.outerStep(model.x, model.labels);
    }
}
