package antidote.pipeline;

import antidote.data.Fixtures;
import antidote.poison.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The same seed gives the same bytes (on any thread count too: {@link ThreadCountIbauTest}): a short training,
 * then one I-BAU round on its model, each run twice in one JVM. The first run starts with cold kernels
 * (interpreted, then compiled while it runs) and the second with compiled ones, which is what exposed a SIMD ELU
 * whose compiled and interpreted forms rounded differently.
 */
class DeterminismTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void theSameTrainingAndIbauRoundTwiceGiveTheSameBytes(@TempDir Path work) throws IOException {
        Path data = work.resolve("data");
        Fixtures.writeMnistLike(data.resolve("fashion-mnist"), 200, 100, true, 7);
        TrainConfig config = new TrainConfig("fashion-mnist", "small-vgg", "badnets", Map.of(), 0.1, 1, 0, 3);
        byte[][] models = new byte[2][];
        byte[][] defended = new byte[2][];
        for (int k = 0; k < 2; k++) {
            Path run = work.resolve("run" + k);
            TrainRun.run(config, data, run, TrainRun.ExistingRun.REFUSE, QUIET);
            models[k] = Files.readAllBytes(run.resolve(TrainRun.MODEL));
            Path out = work.resolve("ibau" + k);
            DefendRun.run(DefendRun.fromRun(run, 40, data), TestDefenses.create("ibau", 1, 1), out, QUIET);
            defended[k] = Files.readAllBytes(out.resolve(TrainRun.MODEL));
        }
        assertArrayEquals(models[0], models[1], "two trainings with the same config differ");
        assertArrayEquals(defended[0], defended[1], "two I-BAU rounds on the same model differ");
    }
}
