package antidote.nn;

import antidote.core.DType;
import antidote.grad.Autodiff;
import antidote.nn.layer.BatchNorm2d;
import antidote.nn.layer.Conv2d;
import antidote.nn.layer.Dropout;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.nn.layer.Relu;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module bookkeeping: names and order, modes, strict state-dict loading, placement and functional use. */
class ModuleTest {
    private final SplittableRandom rng = new SplittableRandom(5);

    private Sequential net() {
        return new Sequential(new Conv2d(1, 2, 3, 1, 1, true, rng), new BatchNorm2d(2), new Relu(),
                new Dropout(0.5, rng), new Flatten(), new Linear(2 * 4 * 4, 3, true, rng));
    }

    @Test
    void stateDictFollowsPyTorchNamesAndOrder() {
        Sequential net = net();
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "5.weight", "5.bias"), List.copyOf(net.stateDict().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "5.weight", "5.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(Shape.scalar(), net.stateDict().get("1.num_batches_tracked").shape());
        assertTrue(net.namedBuffers().get("1.num_batches_tracked").integral());
        assertFalse(net.namedBuffers().get("1.running_mean").integral());
        assertEquals(7, net.modules().size());
    }

    @Test
    void modePropagatesToEveryDescendant() {
        Sequential net = net();
        assertTrue(net.modules().stream().allMatch(Module::isTraining));
        net.eval();
        assertTrue(net.modules().stream().noneMatch(Module::isTraining));
        net.train();
        assertTrue(net.get(3).isTraining());
    }

    @Test
    void loadStateDictCopiesValuesAndConvertsDtype() {
        Sequential source = net();
        Sequential target = net();
        Map<String, Tensor> state = new LinkedHashMap<>();
        source.stateDict().forEach((n, t) -> state.put(n, t.to(DType.FLOAT64)));
        target.loadStateDict(state);
        source.stateDict().forEach((n, t) -> {
            assertEquals(DType.FLOAT32, target.stateDict().get(n).dtype(), n);
            assertArrayEquals(t.toFloatArray(), target.stateDict().get(n).toFloatArray(), n);
        });
        assertTrue(target.parameterValues().stream().allMatch(Tensor::requiresGrad), "parameters stay trainable");
    }

    @Test
    void strictLoadingReportsEveryProblemAndChangesNothing() {
        Sequential net = net();
        Map<String, Tensor> before = net.stateDict();
        Map<String, Tensor> state = new LinkedHashMap<>(net().stateDict());
        state.remove("1.running_var");
        state.put("2.weight", Tensor.zeros(1));
        state.put("5.bias", Tensor.zeros(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertTrue(e.getMessage().contains("missing keys [1.running_var]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys [2.weight]"), e.getMessage());
        assertTrue(e.getMessage().contains("size mismatches [5.bias: given [4], model has [3]]"), e.getMessage());
        before.forEach((n, t) -> assertArrayEquals(t.toFloatArray(), net.stateDict().get(n).toFloatArray(), n));
    }

    @Test
    void toConvertsParametersAndBuffers() {
        Sequential net = net();
        net.to(DType.FLOAT64);
        assertTrue(net.stateDict().values().stream().allMatch(t -> t.dtype() == DType.FLOAT64));
        assertTrue(net.parameterValues().stream().allMatch(Tensor::requiresGrad));
        Tensor y = net.forward(Tensor.rand(rng, 2, 1, 4, 4).to(DType.FLOAT64));
        assertEquals(Shape.of(2, 3), y.shape());
    }

    @Test
    void gradientsFollowParametersOrder() {
        Sequential net = net();
        Tensor loss = net.forward(Tensor.rand(rng, 2, 1, 4, 4)).crossEntropy(new int[] {0, 2});
        List<Tensor> grads = Autodiff.grad(loss, net.parameterValues());
        List<Parameter> params = net.parameters();
        for (int i = 0; i < params.size(); i++) {
            assertEquals(params.get(i).shape(), grads.get(i).shape());
        }
    }

    @Test
    void functionalParametersCarryGradientsThroughAGraph() {
        Sequential net = net();
        net.eval();
        Tensor x = Tensor.rand(rng, 2, 1, 4, 4);
        int[] labels = {1, 2};
        List<Tensor> original = net.parameterValues();
        List<Tensor> direct = Autodiff.grad(net.forward(x).crossEntropy(labels), original);

        List<Tensor> leaves = original.stream().map(t -> t.detach().withGrad()).toList();
        net.setParameterValues(leaves.stream().map(t -> t.mul(0.5).mul(2.0)).toList());
        List<Tensor> throughGraph = Autodiff.grad(net.forward(x).crossEntropy(labels), leaves);
        for (int i = 0; i < direct.size(); i++) {
            assertArrayEquals(direct.get(i).toFloatArray(), throughGraph.get(i).toFloatArray(), 1e-6f, "parameter " + i);
        }
        net.setParameterValues(original);
        assertNotSame(leaves.get(0), net.parameterValues().get(0));
    }

    @Test
    void slotsKeepTheirShapeAndNamesAreChecked() {
        Parameter p = new Parameter(Tensor.zeros(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.set(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("[3, 2] differs from the slot's shape [2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net().setParameterValues(List.of(Tensor.zeros(1))));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("w", Tensor.zeros(1));
                registerBuffer("w", Tensor.zeros(1), false);
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        });
        assertTrue(twice.getMessage().contains("'w' is already registered"), twice.getMessage());
    }
}
