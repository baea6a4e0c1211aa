package antidote.poison;

import antidote.nn.Module;
import antidote.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Classes and input channels come from a state dict's shapes; shapes of another architecture get one clear line. */
class ModelsTest {

    private static Map<String, Shape> shapes(String model, int channels, int height, int width, int classes) {
        Module m = Models.create(model, channels, height, width, classes, 1);
        Map<String, Shape> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, t) -> out.put(k, t.shape()));
        return out;
    }

    @Test
    void smallVggGivesClassesChannelsAndTheSizesThatFit() {
        Models.Inferred inferred = Models.infer(Models.SMALL_VGG, shapes(Models.SMALL_VGG, 1, 28, 28, 10));
        assertEquals(new Models.Inferred(Models.SMALL_VGG, 10, 1, 1152, false), inferred);
        inferred.checkInput(1, 28, 28);
        inferred.checkInput(1, 24, 31);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inferred.checkInput(1, 32, 32));
        assertTrue(e.getMessage().contains("a 32x32 input does not fit this small-vgg checkpoint: its classifier takes "
                + "1152 features = 128 channels x 9 pooled positions"), e.getMessage());
        assertTrue(e.getMessage().contains("gives 2048 (square inputs of 24 to 31 pixels fit)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> inferred.checkInput(3, 28, 28));
        assertTrue(e.getMessage().contains("takes 1-channel images (its first convolution), not 3"), e.getMessage());
    }

    @Test
    void preActResNet18GivesClassesAndChannelsAndTakesAnySize() {
        Models.Inferred inferred = Models.infer(Models.PREACT_RESNET18, shapes(Models.PREACT_RESNET18, 3, 32, 32, 43));
        assertEquals(43, inferred.classes());
        assertEquals(3, inferred.channels());
        assertFalse(inferred.finalNorm(), "BackdoorBench's file has no final bn");
        inferred.checkInput(3, 64, 17);
    }

    @Test
    void aPreActResNet18WithAFinalBatchNormIsRecognisedAndBuiltToMatch() {
        Map<String, Shape> withBn = new LinkedHashMap<>();
        Models.create(Models.PREACT_RESNET18, 3, 32, 32, 10, true, 1).stateDict()
                .forEach((k, t) -> withBn.put(k, t.shape()));
        assertTrue(withBn.containsKey("bn.running_var") && withBn.containsKey("linear.weight"), withBn.toString());
        List<String> keys = List.copyOf(withBn.keySet());
        assertTrue(keys.indexOf("bn.weight") > keys.indexOf("layer4.1.conv2.weight")
                && keys.indexOf("bn.weight") < keys.indexOf("linear.weight"), "PyTorch's registration order");
        Models.Inferred inferred = Models.infer(Models.PREACT_RESNET18, withBn);
        assertTrue(inferred.finalNorm());
        Models.create(Models.PREACT_RESNET18, 3, 32, 32, 10, inferred.finalNorm(), 2).checkStateShapes(withBn);
    }

    @Test
    void shapesOfAnotherArchitectureAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.infer(Models.SMALL_VGG, shapes(Models.PREACT_RESNET18, 3, 32, 32, 10)));
        assertTrue(e.getMessage().startsWith("does not look like a small-vgg checkpoint: no features.0.weight; "
                + "choose the architecture"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Models.infer(Models.PREACT_RESNET18, shapes(Models.SMALL_VGG, 3, 32, 32, 10)));
        assertTrue(e.getMessage().startsWith("does not look like a preact-resnet18 checkpoint: no conv1.weight"),
                e.getMessage());
        Map<String, Shape> wide = shapes(Models.SMALL_VGG, 3, 32, 32, 10);
        wide.put("classifier.weight", Shape.of(10, 1000));
        e = assertThrows(IllegalArgumentException.class, () -> Models.infer(Models.SMALL_VGG, wide));
        assertTrue(e.getMessage().contains("classifier.weight [10, 1000] takes 1000 features, not a positive multiple of "
                + "the last convolution's 128 channels"), e.getMessage());
        Map<String, Shape> flat = shapes(Models.PREACT_RESNET18, 3, 32, 32, 10);
        flat.put("conv1.weight", Shape.of(64, 27));
        e = assertThrows(IllegalArgumentException.class, () -> Models.infer(Models.PREACT_RESNET18, flat));
        assertTrue(e.getMessage().contains("conv1.weight has shape [64, 27], expected 4 dimensions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.infer("resnet50", flat));
        assertEquals("unknown model 'resnet50'; choose one of [small-vgg, preact-resnet18]", e.getMessage());
    }
}
