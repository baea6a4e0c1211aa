package antidote.nn.model;

import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented state-dict names, sizes and output shapes of SmallVgg and PreActResNet18. */
class ModelStructureTest {

    @Test
    void smallVggHasTheDocumentedNames() {
        SmallVgg model = new SmallVgg(3, 32, 32, 10, new SplittableRandom(1));
        List<String> expected = new ArrayList<>();
        for (int conv : new int[] {0, 3, 8, 11, 16, 19}) {
            expected.addAll(List.of("features." + conv + ".weight", "features." + conv + ".bias"));
            String bn = "features." + (conv + 1) + ".";
            expected.addAll(List.of(bn + "weight", bn + "bias", bn + "running_mean", bn + "running_var",
                    bn + "num_batches_tracked"));
        }
        expected.addAll(List.of("classifier.weight", "classifier.bias"));
        assertEquals(expected, List.copyOf(model.stateDict().keySet()));
        assertEquals(308_394, parameterCount(model), "PyTorch's count for 3x32x32 and 10 classes");
        assertEquals(Shape.of(10, 2048), model.stateDict().get("classifier.weight").shape());
        assertEquals(Shape.of(32, 3, 3, 3), model.stateDict().get("features.0.weight").shape());
    }

    @Test
    void smallVggAdaptsToInputShape() {
        SmallVgg mnist = new SmallVgg(1, 28, 28, 10, new SplittableRandom(1));
        assertEquals(Shape.of(10, 1152), mnist.stateDict().get("classifier.weight").shape(), "28 -> 14 -> 7 -> 3");
        try (GradMode.Scope off = GradMode.disabled()) {
            assertEquals(Shape.of(2, 10), mnist.eval().forward(Tensor.rand(new SplittableRandom(2), 2, 1, 28, 28)).shape());
            assertEquals(Shape.of(3, 43), new SmallVgg(3, 32, 32, 43, new SplittableRandom(1)).eval()
                    .forward(Tensor.rand(new SplittableRandom(2), 3, 3, 32, 32)).shape());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mnist.forward(Tensor.zeros(2, 3, 32, 32)));
        assertTrue(e.getMessage().contains("built for [N, 1, 28, 28] inputs, got [2, 3, 32, 32]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SmallVgg(1, 4, 4, 10, new SplittableRandom(1)));
    }

    @Test
    void preActResNet18HasBackdoorBenchNames() {
        PreActResNet18 model = new PreActResNet18(3, 10, new SplittableRandom(1));
        List<String> keys = List.copyOf(model.stateDict().keySet());
        assertEquals(102, keys.size());
        assertEquals(11_171_146, parameterCount(model), "PyTorch's count for 10 classes");
        assertEquals(List.of("conv1.weight", "layer1.0.bn1.weight", "layer1.0.bn1.bias", "layer1.0.bn1.running_mean",
                "layer1.0.bn1.running_var", "layer1.0.bn1.num_batches_tracked", "layer1.0.conv1.weight"), keys.subList(0, 7));
        assertEquals(List.of("layer2.0.shortcut.0.weight", "layer3.0.shortcut.0.weight", "layer4.0.shortcut.0.weight"),
                keys.stream().filter(k -> k.contains("shortcut")).toList());
        assertEquals(List.of("linear.weight", "linear.bias"), keys.subList(100, 102));
        assertEquals(Shape.of(512, 256, 1, 1), model.stateDict().get("layer4.0.shortcut.0.weight").shape());
        try (GradMode.Scope off = GradMode.disabled()) {
            assertEquals(Shape.of(2, 10), model.eval().forward(Tensor.rand(new SplittableRandom(2), 2, 3, 32, 32)).shape());
        }
    }

    private static long parameterCount(Module model) {
        return model.parameters().stream().mapToLong(p -> p.shape().size()).sum();
    }
}
