package antidote.nn.golden;

import antidote.core.DType;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.nn.layer.Dropout;
import antidote.nn.model.PreActResNet18;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Both models against PyTorch in training and evaluation mode, with the deterministic weights of
 * {@link GoldenPattern}: output, input gradient, every parameter's gradient (in full when small, otherwise as
 * a projection and a norm), the buffers after a training step, and the state-dict names and order.
 */
class ModelGoldenTest {

    static Stream<Arguments> models() {
        List<Arguments> cases = new ArrayList<>();
        for (String mode : List.of("train", "eval")) {
            cases.add(Arguments.of("smallvgg_3x32x32", mode,
                    (Supplier<Module>) () -> new SmallVgg(3, 32, 32, 10, new SplittableRandom(1))));
            cases.add(Arguments.of("smallvgg_1x28x28", mode,
                    (Supplier<Module>) () -> new SmallVgg(1, 28, 28, 10, new SplittableRandom(1))));
            cases.add(Arguments.of("preactresnet18_3x16x16", mode,
                    (Supplier<Module>) () -> new PreActResNet18(3, 10, new SplittableRandom(1))));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void matchesPyTorch(String name, String mode, Supplier<Module> factory) {
        GoldenFile golden = GoldenFile.load("model_" + name + "_" + mode);
        Module model = factory.get().to(GoldenFile.DEVICE).to(DType.FLOAT64);
        GoldenPattern.fill(model);
        model.train(golden.trainMode());
        model.modules().stream().filter(m -> m instanceof Dropout).forEach(Module::eval);
        Map<String, Parameter> params = model.namedParameters();
        assertEquals(List.copyOf(golden.withPrefix("gradproj.").keySet()), List.copyOf(params.keySet()),
                "parameter names and order");

        Tensor x = golden.get("x").withGrad();
        Tensor y = model.forward(x);
        Close.assertClose(name + " output", golden.get("y"), y);

        List<Tensor> targets = new ArrayList<>();
        targets.add(x);
        targets.addAll(model.parameterValues());
        List<Tensor> grads = Autodiff.vjp(y, targets, golden.get("dy"));
        Close.assertClose(name + " input gradient", golden.get("dx"), grads.get(0));
        List<String> names = List.copyOf(params.keySet());
        List<String> stateNames = List.copyOf(model.stateDict().keySet());
        for (int i = 0; i < names.size(); i++) {
            checkGradient(golden, names.get(i), stateNames.indexOf(names.get(i)), grads.get(i + 1));
        }
        if (golden.trainMode()) {
            assertEquals(List.copyOf(golden.withPrefix("after.").keySet()), List.copyOf(model.namedBuffers().keySet()),
                    "buffer names and order");
            model.namedBuffers().forEach((buffer, value) ->
                    Close.assertClose(name + " buffer " + buffer, golden.get("after." + buffer), value.get()));
        }
    }

    private static void checkGradient(GoldenFile golden, String name, int stateIndex, Tensor grad) {
        double[] g = grad.toDoubleArray();
        double[] v = GoldenPattern.pattern(stateIndex + 1000, g.length);
        double projection = 0;
        double magnitude = 0;
        double squares = 0;
        for (int i = 0; i < g.length; i++) {
            projection += g[i] * v[i];
            magnitude += Math.abs(g[i] * v[i]);
            squares += g[i] * g[i];
        }
        Close.assertClose("projection of the gradient of " + name, golden.get("gradproj." + name).item(), projection,
                magnitude);
        Close.assertClose("norm of the gradient of " + name, golden.get("gradnorm." + name).item(), Math.sqrt(squares), 0);
        if (golden.has("grad." + name)) {
            Close.assertClose("gradient of " + name, golden.get("grad." + name), grad);
        }
    }
}
