package antidote.nn.model;

import antidote.grad.GradMode;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The intermediate outputs both models report: named by module path, with the shapes and the logits of forward. */
class TappedTest {

    @Test
    void smallVggReportsEveryFeatureLayer() {
        SmallVgg model = new SmallVgg(1, 28, 28, 10, new SplittableRandom(1));
        model.eval();
        Tensor x = Tensor.rand(new SplittableRandom(2), 2, 1, 28, 28);
        try (var off = GradMode.disabled()) {
            Tapped.Output out = model.forwardTapped(x);
            assertArrayEquals(model.forward(x).toFloatArray(), out.logits().toFloatArray());
            assertEquals(24, model.tapNames().size());
            assertEquals(model.tapNames().size(), out.taps().size());
            assertEquals(Shape.of(2, 128, 7, 7), out.tap("features.21").shape(), "the last convolution's ELU");
            assertEquals(Shape.of(2, 32, 14, 14), out.tap("features.6").shape(), "the first block's pooling");
            assertEquals(Shape.of(2, 128, 3, 3), out.tap("features.22").shape(), "the last block's pooling");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> out.tap("layer4"));
            assertTrue(e.getMessage().contains("features.0"), e.getMessage());
        }
    }

    @Test
    void preActResNet18ReportsItsLayers() {
        PreActResNet18 model = new PreActResNet18(3, 10, new SplittableRandom(1));
        model.eval();
        Tensor x = Tensor.rand(new SplittableRandom(2), 1, 3, 16, 16);
        try (var off = GradMode.disabled()) {
            Tapped.Output out = model.forwardTapped(x);
            assertArrayEquals(model.forward(x).toFloatArray(), out.logits().toFloatArray());
            assertEquals(List.of("conv1", "layer1", "layer2", "layer3", "layer4"), model.tapNames());
            assertEquals(Shape.of(1, 128, 8, 8), out.tap("layer2").shape());
            assertEquals(Shape.of(1, 512, 2, 2), out.tap("layer4").shape());
        }
    }
}
