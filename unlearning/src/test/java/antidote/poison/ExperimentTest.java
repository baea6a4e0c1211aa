package antidote.poison;

import antidote.data.Dataset;
import antidote.data.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data checks made before training: aligned splits and a subset no larger than the split. */
class ExperimentTest {

    private static Dataset withClasses(List<String> classes) {
        return Dataset.of("folder", new byte[2 * 4 * 4], new int[] {0, 1}, 1, 4, 4, classes);
    }

    @Test
    void splitsWithOtherClassFoldersOrShapesAreRefused() {
        Dataset train = withClasses(List.of("cat", "dog"));
        assertDoesNotThrow(() -> Experiment.checkAligned(train, withClasses(List.of("cat", "dog"))));
        String classes = assertThrows(IllegalArgumentException.class,
                () -> Experiment.checkAligned(train, withClasses(List.of("cat", "fox")))).getMessage();
        assertTrue(classes.contains("[cat, dog]") && classes.contains("[cat, fox]"), classes);
        Dataset bigger = Dataset.of("folder", new byte[2 * 8 * 8], new int[] {0, 1}, 1, 8, 8, List.of("cat", "dog"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Experiment.checkAligned(train, bigger))
                .getMessage().contains("shape"));
    }

    @Test
    void moreTrainSamplesThanTheSplitHasAreRefused(@TempDir Path data) throws IOException {
        Fixtures.writeMnistLike(data.resolve("fashion-mnist"), 50, 20, true, 1);
        TrainConfig tooMany = new TrainConfig("fashion-mnist", "small-vgg", "badnets", Map.of(), 0.1, 1, 51, 0);
        String message = assertThrows(IllegalArgumentException.class, () -> Experiment.prepare(tooMany, data))
                .getMessage();
        assertTrue(message.contains("--train-samples 51") && message.contains("at most 50"), message);
        TrainConfig all = new TrainConfig("fashion-mnist", "small-vgg", "badnets", Map.of(), 0.1, 1, 50, 0);
        assertTrue(Experiment.prepare(all, data).train().size() == 50);
    }
}
