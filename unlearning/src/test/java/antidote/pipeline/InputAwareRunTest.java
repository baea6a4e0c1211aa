package antidote.pipeline;

import antidote.attack.Attack;
import antidote.attack.InputAware;
import antidote.attack.InputAwareNetworks;
import antidote.data.Fixtures;
import antidote.poison.TrainConfig;
import antidote.report.Json;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An input-aware training run keeps its generators next to the model (after every epoch, so it can be resumed), names
 * them in its report, and defend makes the same triggered images from them; without them the run is refused in one
 * line.
 */
class InputAwareRunTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static Path data;

    @BeforeAll
    static void writeDataset(@TempDir Path dir) throws IOException {
        data = dir;
        Fixtures.writeMnistLike(dir.resolve("fashion-mnist"), 300, 200, true, 7);
    }

    @Test
    void theGeneratorsAreSavedNamedAndLoadedBackByDefend(@TempDir Path run) throws IOException {
        TrainConfig config = new TrainConfig("fashion-mnist", "small-vgg", InputAware.NAME,
                Map.of("mask-epochs", "1"), 0.1, 1, 0, 3);
        TrainRun.run(config, data, run, TrainRun.ExistingRun.REFUSE, QUIET);
        assertTrue(Files.exists(run.resolve(InputAwareNetworks.FILE)));
        JsonObject report = Json.read(run.resolve(TrainRun.REPORT), JsonObject.class);
        assertEquals(InputAwareNetworks.FILE, report.getAsJsonObject(RunAttack.KEY).get("file").getAsString());
        try (Stream<Path> files = Files.list(run)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".tmp")), "a temporary file is left");
        }

        Attack loaded = RunAttack.of(run, config);
        Attack fresh = antidote.poison.Experiment.attack(config);
        float[] image = new float[28 * 28];
        java.util.Arrays.fill(image, 0.3f);
        var shape = new antidote.attack.ImageShape(1, 28, 28);
        float[] trained = loaded.backdoorFor(0).apply(image, shape, 0);
        float[] untrained = ((InputAware) fresh).withNetworks(((InputAware) fresh).freshNetworks(shape).eval())
                .apply(image, shape, 0);
        assertFalse(java.util.Arrays.equals(trained, untrained), "the loaded generators are not the trained ones");

        TrainConfig twoEpochs = new TrainConfig(config.dataset(), config.model(), config.attack(),
                config.attackOptions(), config.poisonRate(), 2, 0, config.seed());
        assertEquals(2, TrainRun.run(twoEpochs, data, run, TrainRun.ExistingRun.RESUME, QUIET).epoch(),
                "a resumed iab run goes on with the generators of its last epoch");

        DefendRun.Inputs inputs = DefendRun.fromRun(run, 50, data);
        assertEquals(inputs.evaluation().size() - countOfTarget(inputs.evaluation(), 0),
                inputs.triggered().images().size());
        float[] first = inputs.triggered().images().image(0);
        float[] again = DefendRun.fromRun(run, 50, data).triggered().images().image(0);
        assertArrayEquals(first, again, "the run's triggers are not reproducible");
    }

    @Test
    void aRunWhoseReportNamesNoGeneratorsIsRefusedInOneLine(@TempDir Path run) throws IOException {
        TrainConfig config = new TrainConfig("fashion-mnist", "small-vgg", InputAware.NAME, Map.of(), 0.1, 1, 0, 3);
        Json.write(run.resolve(TrainRun.REPORT), Map.of("config", config));
        IOException e = assertThrows(IOException.class, () -> RunAttack.of(run, config));
        assertTrue(e.getMessage().contains(RunAttack.KEY) && e.getMessage().lines().count() == 1, e.getMessage());
    }

    private static int countOfTarget(antidote.data.Dataset set, int target) {
        int n = 0;
        for (int i = 0; i < set.size(); i++) {
            n += set.label(i) == target ? 1 : 0;
        }
        return n;
    }
}
