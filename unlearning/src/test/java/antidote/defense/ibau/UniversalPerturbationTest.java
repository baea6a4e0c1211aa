package antidote.defense.ibau;

import antidote.data.Batch;
import antidote.data.Dataset;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ascent's projection choices and the batch order, on a linear model over small random images. */
class UniversalPerturbationTest {
    private static final int SIZE = 40;

    private final Dataset clean = images();
    private final Module model = new Sequential(new Flatten(), new Linear(16, 3, true, new SplittableRandom(2)));

    private static Dataset images() {
        SplittableRandom r = new SplittableRandom(1);
        byte[] pixels = new byte[SIZE * 16];
        r.nextBytes(pixels);
        return Dataset.of("random", pixels, r.ints(SIZE, 0, 3).toArray(), 1, 4, 4, Dataset.numberedClasses(3));
    }

    private static IbauSettings settings(IbauSettings.Projection projection) {
        IbauSettings s = IbauSettings.referenceCode().withProjection(projection);
        return new IbauSettings(s.rounds(), 10, s.batchOrder(), 0.05, s.projection(), s.innerPasses(), s.innerLr(),
                s.innerOptimizer(), s.clamp(), s.penalty(), s.ascentLabels(), s.perturbedShare(), s.fixedPointBatch(),
                s.hypergradient(), s.outerLr(), s.seed());
    }

    private double deltaNorm(IbauSettings s) {
        List<Batch> batches = UniversalPerturbation.roundBatches(clean, s, 1);
        return UniversalPerturbation.find(model, batches, s, loss -> { }).l2Norm().item();
    }

    @Test
    void projectionNoneLeavesTheAscentUnboundedAndEndOrEachStepBoundIt() {
        assertTrue(deltaNorm(settings(IbauSettings.Projection.NONE)) > 0.5, "lr 10 should leave the 0.05 ball");
        assertEquals(0.05, deltaNorm(settings(IbauSettings.Projection.END)), 1e-6);
        assertEquals(0.05, deltaNorm(settings(IbauSettings.Projection.EACH_STEP)), 1e-6);
    }

    @Test
    void fixedOrderIsTheSetsOrderEveryRoundAndShuffledDiffersPerRound() {
        IbauSettings fixed = settings(IbauSettings.Projection.NONE);
        int[] first = UniversalPerturbation.roundBatches(clean, fixed, 1).get(0).indices();
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, first);
        assertArrayEquals(first, UniversalPerturbation.roundBatches(clean, fixed, 2).get(0).indices());
        IbauSettings shuffled = fixed.withBatchOrder(IbauSettings.BatchOrder.SHUFFLED);
        assertFalse(Arrays.equals(UniversalPerturbation.roundBatches(clean, shuffled, 1).get(0).indices(),
                UniversalPerturbation.roundBatches(clean, shuffled, 2).get(0).indices()));
    }

    @Test
    void clampKeepsEveryPerturbedPixelInTheUnitRange() {
        IbauSettings s = settings(IbauSettings.Projection.NONE);
        IbauSettings clamped = new IbauSettings(s.rounds(), s.batchSize(), s.batchOrder(), s.radius(), s.projection(),
                s.innerPasses(), s.innerLr(), s.innerOptimizer(), true, s.penalty(), s.ascentLabels(),
                s.perturbedShare(), s.fixedPointBatch(), s.hypergradient(), s.outerLr(), s.seed());
        Tensor x = UniversalPerturbation.roundBatches(clean, s, 1).get(0).images();
        Tensor delta = x.constant(3, x.shape()).slice(0, 0, 1);
        float[] plain = UniversalPerturbation.perturbed(x, delta, s).toFloatArray();
        float[] kept = UniversalPerturbation.perturbed(x, delta, clamped).toFloatArray();
        assertTrue(plain[0] > 1, "without clamping x + 3 leaves [0, 1]");
        for (float v : kept) {
            assertTrue(v >= 0 && v <= 1, "clamped pixel " + v);
        }
    }
}
