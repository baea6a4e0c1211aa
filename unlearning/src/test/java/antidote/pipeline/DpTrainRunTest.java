package antidote.pipeline;

import antidote.data.Fixtures;
import antidote.poison.TrainConfig;
import antidote.privacy.DpSchedule;
import antidote.privacy.DpSettings;
import antidote.report.Json;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code antidote train --dp} on a tiny MNIST-like set: the console and report.json give ε per epoch, as the
 * accountant computes it for the schedule, and a run is not resumed with other DP settings.
 */
class DpTrainRunTest {
    private static final DpSettings DP = new DpSettings(1.0, 1.1, DpSettings.Sampling.POISSON, 1e-5);

    private static TrainConfig config(int epochs, DpSettings dp) {
        return new TrainConfig("fashion-mnist", "small-vgg", "badnets", Map.of(), 0.1, epochs, 0, 3, dp);
    }

    @Test
    void reportsEpsilonEachEpochAndRefusesToResumeWithOtherSettings(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("data");
        Fixtures.writeMnistLike(data.resolve("fashion-mnist"), 256, 100, true, 7);
        Path run = dir.resolve("run");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TrainRun.run(config(1, DP), data, run, TrainRun.ExistingRun.REFUSE,
                new PrintStream(console, true, StandardCharsets.UTF_8));

        DpSchedule schedule = DpSchedule.of(DP, 256, 128);
        assertEquals(2, schedule.stepsPerEpoch(), "256 / 128 Poisson steps");
        JsonObject dp = Json.read(run.resolve(TrainRun.REPORT), JsonObject.class).getAsJsonObject("dp");
        var perEpoch = dp.getAsJsonArray("epsilon_per_epoch");
        assertEquals(1, perEpoch.size());
        assertEquals(schedule.spentAfter(1).epsilon(), perEpoch.get(0).getAsDouble(), 1e-12);
        assertEquals(schedule.spentAfter(1).epsilon(), dp.get("epsilon").getAsDouble(), 1e-12);
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(String.format("ε %.3f at δ 1e-05", schedule.spentAfter(1).epsilon())), printed);

        DpSettings louder = new DpSettings(1.0, 2.0, DpSettings.Sampling.POISSON, 1e-5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainRun.run(config(2, louder),
                data, run, TrainRun.ExistingRun.RESUME, new PrintStream(OutputStream.nullOutputStream())));
        assertTrue(e.getMessage().contains("DP-SGD"), e.getMessage());
    }
}
