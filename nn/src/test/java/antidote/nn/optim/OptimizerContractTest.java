package antidote.nn.optim;

import antidote.nn.Parameter;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What optimizers accept and leave behind (their formulas are checked against torch.optim). */
class OptimizerContractTest {

    @Test
    void stepsLeaveFreshLeavesOutsideAnyGraph() {
        Parameter p = new Parameter(Tensor.ones(3));
        new Adam(List.of(p), 0.1).step(List.of(Tensor.ones(3).withGrad().mul(2.0)));
        assertTrue(p.get().requiresGrad(), "still trainable");
        assertNull(p.get().node(), "a leaf: the update is not recorded");
        assertEquals(0.9f, p.get().toFloatArray()[0], 1e-6f);
    }

    @Test
    void gradientsMustMatchParameters() {
        Parameter p = new Parameter(Tensor.ones(3));
        Sgd sgd = new Sgd(List.of(p), 0.1);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> sgd.step(List.of()));
        assertTrue(count.getMessage().contains("got 0 gradients for 1 parameters"), count.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> sgd.step(List.of(Tensor.ones(2))));
        assertTrue(shape.getMessage().contains("gradient 0 has shape [2] but parameter 0 has shape [3]"), shape.getMessage());
    }

    @Test
    void badHyperParametersAreRejected() {
        List<Parameter> ps = List.of(new Parameter(Tensor.ones(1)));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, -1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0.9, 0.1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 1.0, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(new Sgd(ps, 0.1), 0, 0));
    }

    @Test
    void cosineAnnealingReachesTheMinimumAtTMaxAndSetsTheOptimizer() {
        Sgd sgd = new Sgd(List.of(new Parameter(Tensor.ones(1))), 0.1);
        CosineAnnealing schedule = new CosineAnnealing(sgd, 4, 0.01);
        schedule.step();
        assertFalse(sgd.learningRate() == 0.1);
        for (int i = 0; i < 3; i++) {
            schedule.step();
        }
        assertEquals(4, schedule.epoch());
        assertEquals(0.01, sgd.learningRate(), 1e-15);
    }
}
