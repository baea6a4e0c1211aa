package antidote.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's help, its one-line errors, and the data command on a missing dataset. */
class MainTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void everyCommandExplainsEveryOptionWithItsDefault() {
        for (String command : new String[]{"data", "train", "evaluate", "defend", "reproduce"}) {
            CliRun r = run(command, "--help");
            assertEquals(0, r.code(), command);
            assertTrue(r.out().contains("Usage: antidote " + command), r.out());
        }
        String train = run("train", "--help").out().replaceAll("\\s+", " ");
        assertTrue(train.contains("--poison-rate") && train.contains("(default: 0.1)"), train);
        String defend = run("defend", "--help").out().replaceAll("\\s+", " ");
        assertTrue(defend.contains("--ibau-preset") && defend.contains("(default: projected)"), defend);
        assertTrue(defend.contains("--sau-train-mode") && defend.contains("--ft-epochs"), defend);
    }

    @Test
    void wrongOptionsGiveAOneLineErrorAndTheUsage() {
        CliRun r = run("train", "--epochs", "many", "--out", "x");
        assertEquals(2, r.code());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("antidote: ") && first.contains("--epochs"), r.err());
        assertTrue(r.err().contains("Usage: antidote train"), r.err());
        CliRun unknown = run("defend", "--run", "x", "--out", "y", "--bogus");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--bogus"), unknown.err());
    }

    @Test
    void defendRefusesDpInOneLineNamingTrainDp(@TempDir Path dir) {
        CliRun r = run("defend", "--run", dir.toString(), "--defense", "dp", "--out", dir.resolve("out").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("training mode") && r.err().contains("antidote train --dp"), r.err());
    }

    @Test
    void reproduceListsDpAmongItsDefenses() {
        String help = run("reproduce", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("nad, dp"), help);
    }

    @Test
    void aMissingDatasetSaysWhereItLookedAndHowToGetIt(@TempDir Path empty) {
        CliRun r = run("data", "--dataset", "cifar10", "--data-dir", empty.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(empty.toString()), r.err());
    }

    @Test
    void evaluateRefusesDataAndAttackOptionsNextToARun(@TempDir Path run) {
        CliRun r = run("evaluate", "--run", run.toString(), "--attack", "blend", "--dataset", "cifar10");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--attack") && r.err().contains("--dataset") && r.err().contains("--run"), r.err());
    }

    @Test
    void trainRefusesAnOutThatIsAFileBeforeLoadingData(@TempDir Path dir) throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("taken"), "x");
        CliRun r = run("train", "--out", file.toString(), "--data-dir", dir.resolve("no-data").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("is an existing file") && !r.err().contains("not found"), r.err());
        CliRun both = run("train", "--out", dir.toString(), "--resume", "--overwrite");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
    }

    @Test
    void defendRefusesAnOutputThatWouldOverwriteItsInputRun(@TempDir Path run) {
        for (Path out : new Path[] {run, run.resolve("inside")}) {
            CliRun r = run("defend", "--run", run.toString(), "--out", out.toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("the input --run") && r.err().contains("never overwritten"), r.err());
        }
    }

    @Test
    void defendNamesAMissingRunFolder(@TempDir Path work) {
        Path empty = work.resolve("run");
        CliRun r = run("defend", "--run", empty.toString(), "--out", work.resolve("out").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("report.json") && r.err().contains("antidote train"), r.err());
    }
}
