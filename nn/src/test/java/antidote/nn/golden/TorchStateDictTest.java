package antidote.nn.golden;

import antidote.core.DType;
import antidote.grad.GradMode;
import antidote.nn.io.Checkpoint;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A PyTorch SmallVgg state dict (F32 weights, I64 counters) loads under its own names and computes PyTorch's output. */
class TorchStateDictTest {

    @Test
    void pytorchSmallVggLoadsWithoutRenaming() throws IOException {
        SmallVgg model = new SmallVgg(1, 28, 28, 10, new SplittableRandom(3));
        model.to(GoldenFile.DEVICE);
        Checkpoint.load(GoldenFile.path("torch_smallvgg_1x28x28"), model);
        assertEquals(1.0, model.stateDict().get("features.1.num_batches_tracked").item(), "num_batches_tracked");

        GoldenFile io = GoldenFile.load("torch_smallvgg_1x28x28_io");
        model.to(DType.FLOAT64).eval();
        try (GradMode.Scope off = GradMode.disabled()) {
            Tensor y = model.forward(io.get("x"));
            Close.assertClose("eval output of the PyTorch weights", io.get("y"), y);
        }
    }
}
