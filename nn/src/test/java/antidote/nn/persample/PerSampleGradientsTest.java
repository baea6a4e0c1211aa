package antidote.nn.persample;

import antidote.core.DType;
import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.BatchNorm2d;
import antidote.nn.layer.Conv2d;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.nn.layer.Relu;
import antidote.nn.model.PreActResNet18;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batched per-sample gradients equal, in float64, the gradients of a loop over single images, for every layer
 * type of SmallVgg and PreActResNet18: convolutions with and without bias, 3x3 at strides 1 and 2, the 1x1 stride-2
 * shortcut, odd sizes, batch norm on fixed statistics, and the linear classifier.
 */
class PerSampleGradientsTest {

    @Test
    void everyLayerTypeMatchesSingleImageGradients() {
        SplittableRandom rng = new SplittableRandom(3);
        Module model = new Sequential(
                new Conv2d(2, 3, 3, 1, 1, true, rng),     // SmallVgg's convolutions
                new BatchNorm2d(3),
                new Relu(),
                new Conv2d(3, 4, 3, 2, 1, false, rng),    // PreActBlock's strided conv1
                new Conv2d(4, 5, 1, 2, 0, false, rng),    // the 1x1 stride-2 shortcut
                new Flatten(),
                new Linear(5 * 2 * 2, 3, true, rng));
        model.to(DType.FLOAT64);
        moveRunningStatistics(model, Tensor.rand(rng, 6, 2, 7, 7).to(DType.FLOAT64).mul(3).add(1));
        model.eval();
        assertMatchesLoop(model, Tensor.randn(rng, 4, 2, 7, 7).to(DType.FLOAT64), new int[] {0, 2, 1, 2});
    }

    @Test
    void smallVggMatchesSingleImageGradients() {
        SplittableRandom rng = new SplittableRandom(4);
        SmallVgg model = new SmallVgg(1, 9, 9, 3, rng);
        model.to(DType.FLOAT64);
        moveRunningStatistics(model, Tensor.rand(rng, 4, 1, 9, 9).to(DType.FLOAT64));
        model.eval();
        assertMatchesLoop(model, Tensor.rand(rng, 3, 1, 9, 9).to(DType.FLOAT64), new int[] {2, 0, 1});
    }

    /** The whole network (11M parameters, 12 s in float64): its layer types are covered by the first test too. */
    @Test
    @Tag("slow")
    void preActResNet18MatchesSingleImageGradients() {
        SplittableRandom rng = new SplittableRandom(5);
        PreActResNet18 model = new PreActResNet18(1, 3, true, rng);
        model.to(DType.FLOAT64).eval();
        assertMatchesLoop(model, Tensor.rand(rng, 2, 1, 8, 8).to(DType.FLOAT64), new int[] {1, 2});
    }

    @Test
    void batchNormInTrainingModeIsRefused() {
        Module model = new Sequential(new Conv2d(1, 2, 3, 1, 1, true, new SplittableRandom(1)), new BatchNorm2d(2));
        Tensor x = Tensor.rand(new SplittableRandom(2), 2, 1, 4, 4);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PerSampleGradients.forward(model, x));
        assertTrue(e.getMessage().contains("evaluation mode"), e.getMessage());
    }

    @Test
    void aParameterWithoutARuleIsRefused() {
        Module scale = new Module() {
            private final antidote.nn.Parameter factor = registerParameter("factor", Tensor.ones(1));

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(factor.get());
            }
        };
        Module model = new Sequential(new Flatten(), new Linear(4, 2, true, new SplittableRandom(1)), scale);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PerSampleGradients.forward(model, Tensor.ones(1, 1, 2, 2)));
        assertTrue(e.getMessage().contains("'2.factor'"), e.getMessage());
    }

    /** A few training-mode passes, so that evaluation mode normalises with statistics other than 0 and 1. */
    private static void moveRunningStatistics(Module model, Tensor x) {
        model.train();
        try (var off = GradMode.disabled()) {
            for (int i = 0; i < 3; i++) {
                model.forward(x);
            }
        }
    }

    private static void assertMatchesLoop(Module model, Tensor x, int[] labels) {
        int n = x.dim(0);
        PerSampleGradients pass = PerSampleGradients.forward(model, x);
        List<Tensor> batched = pass.gradients(pass.logits().crossEntropy(labels).mul(n));
        List<Tensor> parameters = model.parameterValues();
        assertEquals(parameters.size(), batched.size());
        for (int s = 0; s < n; s++) {
            Tensor loss = model.forward(x.slice(0, s, s + 1)).crossEntropy(new int[] {labels[s]});
            List<Tensor> single = Autodiff.grad(loss, parameters);
            for (int p = 0; p < parameters.size(); p++) {
                double[] expected = single.get(p).toDoubleArray();
                double[] actual = batched.get(p).slice(0, s, s + 1).toDoubleArray();
                assertEquals(expected.length, actual.length, "parameter " + p);
                double scale = 1e-12;
                for (double v : expected) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-10 * scale, "sample " + s + ", parameter " + p
                            + " (" + batched.get(p).shape() + "), element " + i);
                }
            }
        }
    }
}
