package antidote.pipeline;

import antidote.check.ThreadCounts;
import antidote.data.Fixtures;
import antidote.poison.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One I-BAU round on the same small poisoned SmallVgg gives the same purified weights, byte for byte, on 1, 2 and
 * 3 CPU threads (each run in its own JVM, whose backend takes {@code -Dantidote.threads}).
 */
class ThreadCountIbauTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void anIbauRoundGivesTheSameBytesOnOneTwoAndThreeThreads(@TempDir Path work) throws IOException {
        Path data = work.resolve("data");
        Fixtures.writeMnistLike(data.resolve("fashion-mnist"), 200, 100, true, 7);
        Path run = work.resolve("run");
        TrainRun.run(new TrainConfig("fashion-mnist", "small-vgg", "badnets", Map.of(), 0.1, 1, 0, 3), data, run,
                TrainRun.ExistingRun.REFUSE, QUIET);
        List<String> digests = ThreadCounts.outputs(IbauRound.class, new int[]{1, 2, 3}, run.toString(),
                data.toString());
        assertEquals(digests.get(0), digests.get(1), "2 threads differ from 1");
        assertEquals(digests.get(0), digests.get(2), "3 threads differ from 1");
    }

    /**
     * The computation, run in a child JVM: one I-BAU round on the model of the run in {@code args[0]} with 40 clean
     * images of the data in {@code args[1]}; prints the digest of the purified model's state.
     */
    static final class IbauRound {
        public static void main(String[] args) throws IOException {
            DefendRun.Inputs inputs = DefendRun.fromRun(Path.of(args[0]), 40, Path.of(args[1]));
            TestDefenses.create("ibau", 1, 1).purify(inputs.model(), inputs.clean(), (round, model) -> { });
            List<float[]> state = new ArrayList<>();
            inputs.model().stateDict().values().forEach(t -> state.add(t.toFloatArray()));
            System.out.println(ThreadCounts.digest(state));
        }
    }
}
