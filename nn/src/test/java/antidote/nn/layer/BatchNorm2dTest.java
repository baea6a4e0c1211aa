package antidote.nn.layer;

import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BatchNorm2d's defaults and buffer bookkeeping (the numbers themselves are checked against PyTorch). */
class BatchNorm2dTest {

    @Test
    void startsWithPyTorchDefaults() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertArrayEquals(new float[] {1, 1, 1}, bn.stateDict().get("weight").toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.stateDict().get("bias").toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.stateDict().get("running_mean").toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, bn.stateDict().get("running_var").toFloatArray());
        assertEquals(0.0, bn.stateDict().get("num_batches_tracked").item());
    }

    @Test
    void trainingUpdatesBuffersOutsideTheGraphAndEvalDoesNot() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Tensor x = Tensor.randn(new SplittableRandom(1), 4, 2, 3, 3).withGrad();
        bn.forward(x);
        bn.forward(x);
        assertEquals(2.0, bn.stateDict().get("num_batches_tracked").item());
        assertFalse(bn.stateDict().get("running_mean").requiresGrad());
        float[] mean = bn.stateDict().get("running_mean").toFloatArray();
        bn.eval().forward(x);
        assertArrayEquals(mean, bn.stateDict().get("running_mean").toFloatArray());
        assertEquals(2.0, bn.stateDict().get("num_batches_tracked").item());
    }

    @Test
    void trainingNeedsMoreThanOneValuePerChannel() {
        BatchNorm2d bn = new BatchNorm2d(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 2, 1, 1)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        assertEquals(0, bn.eval().forward(Tensor.zeros(1, 2, 1, 1)).sum().item(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 3, 2, 2)));
    }
}
