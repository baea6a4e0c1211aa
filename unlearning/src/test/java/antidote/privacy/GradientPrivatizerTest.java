package antidote.privacy;

import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clipping bounds every sample's norm and leaves small gradients alone; the noise has the configured variance. */
class GradientPrivatizerTest {

    @Test
    void clippingBoundsEveryPerSampleNorm() {
        SplittableRandom rng = new SplittableRandom(1);
        double clip = 0.8;
        // Six samples, two parameters; the scales give norms from well below to far above C.
        double[] scales = {0.01, 0.05, 0.2, 1, 5, 40};
        Tensor w = Tensor.randn(rng, 6, 3, 4).mul(Tensor.fromArray(scales, 6, 1, 1).to(antidote.core.DType.FLOAT32));
        Tensor b = Tensor.randn(rng, 6, 3).mul(Tensor.fromArray(scales, 6, 1).to(antidote.core.DType.FLOAT32));
        List<Tensor> perSample = List.of(w, b);
        GradientPrivatizer privatizer = new GradientPrivatizer(new DpSettings(clip, 0, DpSettings.Sampling.POISSON,
                1e-5), 4);
        double[] norms = GradientPrivatizer.squaredNorms(perSample);
        double[] factors = privatizer.clipFactors(perSample);
        int clipped = 0;
        for (int n = 0; n < norms.length; n++) {
            double norm = Math.sqrt(norms[n]);
            assertTrue(norm * factors[n] <= clip * (1 + 1e-6), "sample " + n + ": clipped norm " + norm * factors[n]);
            if (norm < clip * 0.99) {
                assertEquals(1, factors[n], 1e-5, "sample " + n + " has norm " + norm + " < C: left alone");
            } else {
                assertEquals(clip, norm * factors[n], 1e-5, "sample " + n + " is scaled to norm C");
                clipped++;
            }
        }
        assertTrue(clipped >= 2 && clipped <= 4, "the scales give both kinds of samples, got " + clipped + " clipped");

        // With no noise the step is the sum of the clipped gradients over the expected batch.
        List<Tensor> step = privatizer.privatize(perSample, rng);
        float[] expected = new float[3];
        float[] bias = b.toFloatArray();
        for (int n = 0; n < 6; n++) {
            for (int j = 0; j < 3; j++) {
                expected[j] += (float) (factors[n] * bias[n * 3 + j] / 4);
            }
        }
        assertArrayEquals(expected, step.get(1).toFloatArray(), 1e-5f);
        assertArrayEquals(new int[] {3, 4}, step.get(0).shape().dims());
    }

    @Test
    void noiseHasTheConfiguredVariance() {
        double sigma = 1.5;
        double clip = 0.4;
        double batch = 8;
        GradientPrivatizer privatizer = new GradientPrivatizer(new DpSettings(clip, sigma, DpSettings.Sampling.POISSON,
                1e-5), batch);
        // Zero gradients: the step is the noise alone, N(0, σ²C²) / batch per coordinate.
        List<Tensor> perSample = List.of(Tensor.zeros(3, 200, 100), Tensor.zeros(3, 100));
        List<Tensor> step = privatizer.privatize(perSample, new SplittableRandom(7));
        double sum = 0;
        double squares = 0;
        int count = 0;
        for (Tensor t : step) {
            for (float v : t.toFloatArray()) {
                sum += v;
                squares += v * (double) v;
                count++;
            }
        }
        double expectedStd = sigma * clip / batch;
        double mean = sum / count;
        double variance = squares / count - mean * mean;
        // 20,100 draws: the sample variance's relative standard error is sqrt(2/20100) ≈ 1%; allow 5%.
        assertEquals(expectedStd * expectedStd, variance, 0.05 * expectedStd * expectedStd);
        assertEquals(0, mean, 5 * expectedStd / Math.sqrt(count));

        List<Tensor> alone = privatizer.noiseOnly(List.of(Tensor.zeros(20000)), new SplittableRandom(8));
        double aloneSquares = 0;
        for (float v : alone.get(0).toFloatArray()) {
            aloneSquares += v * (double) v;
        }
        assertEquals(expectedStd * expectedStd, aloneSquares / 20000, 0.05 * expectedStd * expectedStd);
    }
}
