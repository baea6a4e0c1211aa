package antidote.nn.golden;

import antidote.nn.Parameter;
import antidote.nn.optim.Adam;
import antidote.nn.optim.CosineAnnealing;
import antidote.nn.optim.Optimizer;
import antidote.nn.optim.Sgd;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** SGD, Adam and cosine annealing against torch.optim, five steps on two parameters, in float64. */
class OptimizerGoldenTest {
    private static final GoldenFile GOLDEN = GoldenFile.load("optim");

    static Stream<Arguments> optimizers() {
        return Stream.of(
                config("sgd", ps -> new Sgd(ps, 0.1)),
                config("sgd_momentum", ps -> new Sgd(ps, 0.1, 0.9, 0.1, 0.01, false)),
                config("sgd_nesterov", ps -> new Sgd(ps, 0.1, 0.9, 0, 0.01, true)),
                config("adam", ps -> new Adam(ps, 0.01)),
                config("adam_decay", ps -> new Adam(ps, 0.01, 0.8, 0.99, 1e-6, 0.1, false)),
                config("adam_amsgrad", ps -> new Adam(ps, 0.01, 0.9, 0.999, 1e-8, 0.01, true)));
    }

    private static Arguments config(String name, Function<List<Parameter>, Optimizer> make) {
        return Arguments.of(name, make);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void matchesTorchOptim(String name, Function<List<Parameter>, Optimizer> make) {
        List<Parameter> params = List.of(new Parameter(GOLDEN.get(name + ".p0.0")), new Parameter(GOLDEN.get(name + ".p0.1")));
        Optimizer optimizer = make.apply(params);
        for (int t = 1; t <= 5; t++) {
            optimizer.step(List.of(GOLDEN.get(name + ".g" + t + ".0"), GOLDEN.get(name + ".g" + t + ".1")));
            for (int j = 0; j < 2; j++) {
                Close.assertClose(name + " parameter " + j + " after step " + t, GOLDEN.get(name + ".p" + t + "." + j),
                        params.get(j).get());
            }
        }
    }

    @Test
    void cosineAnnealingMatchesCosineAnnealingLR() {
        Optimizer optimizer = new Sgd(List.of(new Parameter(Tensor.zeros(1))), 0.1);
        CosineAnnealing schedule = new CosineAnnealing(optimizer, 5, 0.001);
        double[] expected = GOLDEN.get("cosine.lr").toDoubleArray();
        double[] actual = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            schedule.step();
            actual[i] = optimizer.learningRate();
        }
        Close.assertClose("learning rates over 12 epochs", expected, actual);
    }
}
