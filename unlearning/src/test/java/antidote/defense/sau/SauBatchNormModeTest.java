package antidote.defense.sau;

import antidote.data.Dataset;
import antidote.defense.SettingsRecord;
import antidote.nn.Module;
import antidote.nn.model.SmallVgg;
import antidote.pipeline.GeneratedImages;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** SAU keeps batch-norm statistics frozen by default, as BackdoorBench does, and moves them only in training mode. */
class SauBatchNormModeTest {
    private static final Dataset CLEAN = GeneratedImages.make(16, 4);

    private static double[] runningMeansAfter(boolean trainMode) {
        Module model = new SmallVgg(1, 28, 28, 10, new SplittableRandom(2));
        Sau.Settings s = SettingsRecord.with(Sau.Settings.BACKDOORBENCH,
                Map.of("epochs", 1, "batch-size", 16, "lr", 1e-3, "train-mode", trainMode, "steps", 1));
        new Sau(s).purify(model, CLEAN, (round, m) -> { });
        return runningMeans(model);
    }

    private static double[] runningMeans(Module model) {
        return model.stateDict().entrySet().stream().filter(e -> e.getKey().endsWith("running_mean"))
                .map(Map.Entry::getValue).map(Tensor::toDoubleArray).flatMapToDouble(Arrays::stream).toArray();
    }

    @Test
    void frozenByDefaultAndMovedInTrainingMode() {
        double[] initial = runningMeans(new SmallVgg(1, 28, 28, 10, new SplittableRandom(2)));
        assertArrayEquals(initial, runningMeansAfter(false), 0.0, "evaluation mode must not touch the statistics");
        assertFalse(Arrays.equals(initial, runningMeansAfter(true)), "training mode updates them");
    }
}
