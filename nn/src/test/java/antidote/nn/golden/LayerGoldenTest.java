package antidote.nn.golden;

import antidote.core.DType;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.layer.AdaptiveAvgPool2d;
import antidote.nn.layer.AvgPool2d;
import antidote.nn.layer.BatchNorm2d;
import antidote.nn.layer.Conv2d;
import antidote.nn.layer.Dropout;
import antidote.nn.layer.Elu;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.nn.layer.MaxPool2d;
import antidote.nn.layer.Relu;
import antidote.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every layer against PyTorch: output, input gradient, parameter gradients and updated buffers. */
class LayerGoldenTest {

    static Stream<Arguments> layers() {
        SplittableRandom rng = new SplittableRandom(1);
        return Stream.of(
                case_("conv2d_bias", () -> new Conv2d(3, 4, 3, 1, 1, true, rng)),
                case_("conv2d_stride2_nobias", () -> new Conv2d(3, 5, 3, 2, 1, false, rng)),
                case_("conv2d_1x1_stride2", () -> new Conv2d(4, 6, 1, 2, 0, false, rng)),
                case_("batchnorm2d_train", () -> new BatchNorm2d(3)),
                case_("batchnorm2d_eval", () -> new BatchNorm2d(3)),
                case_("elu", Elu::new),
                case_("relu", Relu::new),
                case_("maxpool2d", () -> new MaxPool2d(2)),
                case_("maxpool2d_k3s2p1", () -> new MaxPool2d(3, 2, 1)),
                case_("avgpool2d", () -> new AvgPool2d(2)),
                case_("avgpool2d_k3s2p1", () -> new AvgPool2d(3, 2, 1)),
                case_("adaptive_avgpool2d", AdaptiveAvgPool2d::new),
                case_("dropout_eval", () -> new Dropout(0.5, rng)),
                case_("flatten", Flatten::new),
                case_("linear", () -> new Linear(12, 5, true, rng)),
                case_("linear_nobias", () -> new Linear(12, 5, false, rng)));
    }

    private static Arguments case_(String name, Supplier<Module> factory) {
        return Arguments.of(name, factory);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void matchesPyTorch(String name, Supplier<Module> factory) {
        GoldenFile golden = GoldenFile.load("layer_" + name);
        Module layer = factory.get().to(GoldenFile.DEVICE).to(DType.FLOAT64);
        assertEquals(List.copyOf(golden.withPrefix("param.").keySet()), List.copyOf(layer.stateDict().keySet()),
                "state-dict names and order");
        layer.loadStateDict(golden.withPrefix("param."));
        layer.train(golden.trainMode());

        Tensor x = golden.get("x").withGrad();
        Tensor y = layer.forward(x);
        Close.assertClose(name + " output", golden.get("y"), y);

        List<Tensor> targets = new ArrayList<>();
        targets.add(x);
        targets.addAll(layer.parameterValues());
        List<Tensor> grads = Autodiff.vjp(y, targets, golden.get("dy"));
        Close.assertClose(name + " input gradient", golden.get("dx"), grads.get(0));
        List<String> names = List.copyOf(layer.namedParameters().keySet());
        for (int i = 0; i < names.size(); i++) {
            Close.assertClose(name + " gradient of " + names.get(i), golden.get("grad." + names.get(i)), grads.get(i + 1));
        }
        layer.namedBuffers().forEach((buffer, value) ->
                Close.assertClose(name + " buffer " + buffer + " after forward", golden.get("after." + buffer), value.get()));
    }
}
