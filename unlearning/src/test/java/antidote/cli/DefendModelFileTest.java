package antidote.cli;

import antidote.data.Dataset;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.nn.io.NamedTensor;
import antidote.nn.io.SafeDType;
import antidote.nn.io.SafetensorsWriter;
import antidote.nn.model.SmallVgg;
import antidote.pipeline.GeneratedImages;
import antidote.report.Json;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code defend --model}: a plain state dict (no Antidote metadata, as PyTorch's save_file writes it) purified with
 * a clean image folder, measured with a known attack or without one, and the one-line refusals of bad requests
 * that leave nothing written.
 */
class DefendModelFileTest {
    @TempDir
    static Path work;
    private static Path model;
    private static Path clean;
    private static Path eval;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @BeforeAll
    static void writeAModelAndImageFolders() throws IOException {
        Module vgg = new SmallVgg(1, 28, 28, 10, new SplittableRandom(3));
        model = work.resolve("plain.safetensors");
        List<NamedTensor> tensors = new ArrayList<>();
        vgg.stateDict().forEach((name, t) -> tensors.add(new NamedTensor(name,
                name.endsWith("num_batches_tracked") ? SafeDType.I64 : SafeDType.F32, t)));
        SafetensorsWriter.write(model, tensors, Map.of());
        clean = writeFolder(work.resolve("clean"), GeneratedImages.make(60, 1));
        eval = writeFolder(work.resolve("eval"), GeneratedImages.make(40, 2));
        Files.writeString(clean.resolve("3").resolve("notes.txt"), "not an image");
    }

    private static Path writeFolder(Path root, Dataset data) throws IOException {
        for (int i = 0; i < data.size(); i++) {
            Path dir = Files.createDirectories(root.resolve(Integer.toString(data.label(i))));
            BufferedImage image = new BufferedImage(data.width(), data.height(), BufferedImage.TYPE_BYTE_GRAY);
            byte[] bytes = data.imageBytes(i);
            image.getRaster().setDataElements(0, 0, data.width(), data.height(), bytes);
            ImageIO.write(image, "png", dir.resolve(String.format("%04d.png", i)).toFile());
        }
        return root;
    }

    private static String[] defend(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("defend", "--model", model.toString(), "--arch", "small-vgg",
                "--clean", "folder:" + clean, "--eval", "folder:" + eval, "--defense", "ft", "--epochs", "1",
                "--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aPlainStateDictIsPurifiedWithACleanFolderAndMeasuredWithAKnownAttack() throws IOException {
        Path out = work.resolve("with-attack");
        CliRun r = run(defend(out, "--attack", "badnets:size=3,target=0"));
        assertEquals(0, r.code(), r.err());
        JsonObject report = Json.read(out.resolve("report.json"), JsonObject.class);
        assertEquals(60, report.getAsJsonObject("clean").get("samples").getAsInt());
        assertEquals(40, report.getAsJsonObject("evaluation").get("samples").getAsInt());
        assertEquals(36, report.getAsJsonObject("triggered").get("samples").getAsInt(), "non-target images only");
        assertEquals(64, report.get("input_sha256").getAsString().length());
        JsonObject after = report.getAsJsonObject("outcome").getAsJsonObject("after");
        assertTrue(after.has("asr") && after.has("acc"), after.toString());
        Module reloaded = new SmallVgg(1, 28, 28, 10, new SplittableRandom(9));
        Checkpoint.load(out.resolve("model.safetensors"), reloaded);
        assertEquals(Checkpoint.layout(model), Checkpoint.layout(out.resolve("model.safetensors")),
                "the purified model keeps the input's keys, order and dtypes");
    }

    @Test
    void theNormalisationGoesIntoThePurifiedModelsMetadataForEvaluate() throws IOException {
        Path out = work.resolve("normalised");
        assertEquals(0, run(defend(out, "--normalize", "0.5/0.25")).code());
        Map<String, String> metadata = Checkpoint.metadata(out.resolve("model.safetensors"));
        assertEquals("0.5/0.25", metadata.get("normalize"), metadata.toString());
        assertEquals("0.5/0.25", Json.read(out.resolve("report.json"), JsonObject.class).get("normalization")
                .getAsString());
    }

    @Test
    void withoutTriggeredImagesTheReportSaysAsrWasNotMeasured() throws IOException {
        Path out = work.resolve("no-attack");
        CliRun r = run(defend(out));
        assertEquals(0, r.code(), r.err());
        JsonObject report = Json.read(out.resolve("report.json"), JsonObject.class);
        assertTrue(report.has("asr_not_measured"), report.toString());
        JsonObject after = report.getAsJsonObject("outcome").getAsJsonObject("after");
        assertFalse(after.has("asr") && !after.get("asr").isJsonNull(), after.toString());
        assertTrue(after.get("acc").getAsDouble() >= 0);
    }

    @Test
    void badRequestsGetOneLineAndWriteNothing() throws IOException {
        Path empty = Files.createDirectories(work.resolve("empty"));
        Map<String[], String> cases = Map.of(
                defend(work.resolve("o1"), "--arch", "resnet50"), "unknown architecture",
                defend(work.resolve("o2"), "--eval", "folder:" + clean), "share images",
                defend(work.resolve("o3"), "--clean-samples", "61"), "61",
                defend(work.resolve("o4"), "--clean", "folder:" + empty), "no class sub-folders",
                defend(work.resolve("o5"), "--rounds", "2"), "--rounds does not apply to ft",
                defend(work.resolve("o6"), "--ibau-rounds", "2"), "--ibau-rounds is an option of",
                defend(work.resolve("o7"), "--clean", "fashion-mnist"), "names no split",
                defend(work.resolve("o8"), "--triggered", "folder:" + eval), "--target",
                defend(clean.resolve("o9")), "is inside the input --clean");
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            CliRun r = run(c.getKey());
            assertEquals(1, r.code(), String.join(" ", c.getKey()) + "\n" + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(c.getValue()), c.getValue() + " not in: " + r.err());
        }
        assertFalse(Files.exists(clean.resolve("o9")), "o9 was written into the clean folder");
        for (int i = 1; i <= 8; i++) {
            assertFalse(Files.exists(work.resolve("o" + i)), "o" + i + " was written");
        }
    }

    @Test
    void aFileThatIsNotAnImageIsSkippedWithAWarning() {
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(log, true));
        try {
            assertEquals(0, run(defend(work.resolve("warned"))).code());
        } finally {
            System.setOut(original);
        }
        assertTrue(log.toString().contains("skipped 1 file(s)") && log.toString().contains("notes.txt"), log.toString());
    }
}
