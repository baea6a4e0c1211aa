package antidote.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run folder's report.json read back: each fault is one line naming the file and what is wrong. */
class RunReportTest {
    private static final String CONFIG = "{\"dataset\": \"fashion-mnist\", \"model\": \"small-vgg\", \"attack\": "
            + "\"badnets\", \"attackOptions\": {}, \"poisonRate\": %s, \"epochs\": 1, \"trainSamples\": 0, \"seed\": 0}";

    private static String refusal(Path run, String report) throws IOException {
        Files.writeString(Files.createDirectories(run).resolve(TrainRun.REPORT), report);
        Exception e = assertThrows(Exception.class, () -> TrainRun.readConfig(run));
        assertTrue(e instanceof IOException || e instanceof IllegalArgumentException, e.toString());
        assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("com.google"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aValidReportGivesItsConfig(@TempDir Path run) throws IOException {
        Files.writeString(run.resolve(TrainRun.REPORT), "{\"config\": " + CONFIG.formatted("0.1") + "}");
        assertTrue(TrainRun.readConfig(run).poisonRate() == 0.1);
    }

    @Test
    void eachFaultNamesTheFileAndTheEntry(@TempDir Path dir) throws IOException {
        String truncated = refusal(dir.resolve("a"), "{\"config\": {\"dataset\": ");
        assertTrue(truncated.contains(dir.resolve("a").resolve(TrainRun.REPORT).toString())
                && truncated.contains("not valid JSON"), truncated);
        assertTrue(refusal(dir.resolve("b"), "{}").contains("has no \"config\" object"));
        assertTrue(refusal(dir.resolve("c"), "{\"config\": {\"dataset\": \"x\"}}").contains("config.model is missing"));
        String negative = refusal(dir.resolve("d"), "{\"config\": " + CONFIG.formatted("-0.5") + "}");
        assertTrue(negative.contains("invalid") && negative.contains("-0.5"), negative);
        String wrongType = refusal(dir.resolve("e"), "{\"config\": " + CONFIG.formatted("\"lots\"") + "}");
        assertTrue(wrongType.contains("wrong type"), wrongType);
        assertTrue(refusal(dir.resolve("f"), "").contains("is empty"));
    }

    @Test
    void aDefendOutputIsNotATrainingRun(@TempDir Path dir) throws IOException {
        String message = refusal(dir.resolve("ibau"), "{\"input_run\": \"runs/badnets\", \"train_config\": "
                + CONFIG.formatted("0.1") + "}");
        assertTrue(message.contains("'antidote defend'") && message.contains("runs/badnets"), message);
    }
}
