package antidote.nn.io;

import antidote.core.DType;
import antidote.grad.GradMode;
import antidote.nn.model.PreActResNet18;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saving and loading: bit-identical models, the recorded metadata, atomic writes and strict key checks. */
class CheckpointRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void smallVggRoundTripGivesBitIdenticalOutputs() throws IOException {
        SmallVgg saved = new SmallVgg(3, 32, 32, 10, new SplittableRandom(1));
        Tensor x = Tensor.rand(new SplittableRandom(7), 4, 3, 32, 32);
        try (GradMode.Scope off = GradMode.disabled()) {
            saved.train().forward(x);
        }
        saved.eval();
        Path file = dir.resolve("vgg.safetensors");
        ModelInfo info = ModelInfo.of("SmallVgg", 10, saved.inputShape(), 1);
        Checkpoint.save(file, saved, info);

        SmallVgg loaded = new SmallVgg(3, 32, 32, 10, new SplittableRandom(2));
        Checkpoint.load(file, loaded);
        loaded.eval();
        saved.stateDict().forEach((name, t) ->
                assertArrayEquals(t.toFloatArray(), loaded.stateDict().get(name).toFloatArray(), name));
        try (GradMode.Scope off = GradMode.disabled()) {
            assertArrayEquals(saved.forward(x).toFloatArray(), loaded.forward(x).toFloatArray());
        }
        assertEquals(info, Checkpoint.readInfo(file));
        assertEquals(List.of(file), listDir(), "no temporary file is left behind");
    }

    @Test
    void headerRecordsDtypesAndMetadata() throws IOException {
        SmallVgg model = new SmallVgg(1, 28, 28, 10, new SplittableRandom(1));
        Path file = dir.resolve("vgg.safetensors");
        Checkpoint.save(file, model, ModelInfo.of("SmallVgg", 10, model.inputShape(), 42));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(SafeDType.I64, f.entry("features.1.num_batches_tracked").dtype());
            assertEquals(Shape.scalar(), f.entry("features.1.num_batches_tracked").shape());
            assertEquals(SafeDType.F32, f.entry("features.0.weight").dtype());
            assertEquals(Shape.of(10, 1152), f.entry("classifier.weight").shape());
            Map<String, String> m = f.metadata();
            assertEquals("SmallVgg", m.get("model"));
            assertEquals("1,28,28", m.get("input_shape"));
            assertEquals("42", m.get("seed"));
            assertEquals("pt", m.get("format"));
            assertEquals(ModelInfo.antidoteVersion(), m.get("antidote_version"));
            assertTrue(ModelInfo.antidoteVersion().matches("\\d+\\.\\d+.*"), ModelInfo.antidoteVersion());
        }
    }

    @Test
    void float64ModelsKeepTheirPrecision() throws IOException {
        SmallVgg model = new SmallVgg(1, 16, 16, 3, new SplittableRandom(1));
        model.to(DType.FLOAT64);
        Path file = dir.resolve("vgg64.safetensors");
        Checkpoint.save(file, model, ModelInfo.of("SmallVgg", 3, model.inputShape(), 1));
        SmallVgg loaded = new SmallVgg(1, 16, 16, 3, new SplittableRandom(2));
        loaded.to(DType.FLOAT64);
        Checkpoint.load(file, loaded);
        model.stateDict().forEach((name, t) ->
                assertArrayEquals(t.toDoubleArray(), loaded.stateDict().get(name).toDoubleArray(), name));
    }

    @Test
    void overwritingReplacesTheFileAtomically() throws IOException {
        SmallVgg first = new SmallVgg(1, 16, 16, 3, new SplittableRandom(1));
        SmallVgg second = new SmallVgg(1, 16, 16, 3, new SplittableRandom(2));
        Path file = dir.resolve("vgg.safetensors");
        Checkpoint.save(file, first, ModelInfo.of("SmallVgg", 3, first.inputShape(), 1));
        Checkpoint.save(file, second, ModelInfo.of("SmallVgg", 3, second.inputShape(), 2));
        SmallVgg loaded = new SmallVgg(1, 16, 16, 3, new SplittableRandom(3));
        Checkpoint.load(file, loaded);
        assertArrayEquals(second.stateDict().get("classifier.weight").toFloatArray(),
                loaded.stateDict().get("classifier.weight").toFloatArray());
        assertEquals(2, Checkpoint.readInfo(file).seed());
        assertEquals(List.of(file), listDir());
    }

    @Test
    void aCheckpointForAnotherArchitectureIsRejectedWithTheKeys() throws IOException {
        SmallVgg model = new SmallVgg(3, 32, 32, 10, new SplittableRandom(1));
        Path file = dir.resolve("vgg.safetensors");
        Checkpoint.save(file, model, ModelInfo.of("SmallVgg", 10, model.inputShape(), 1));

        SafetensorsException wrongClasses = assertThrows(SafetensorsException.class,
                () -> Checkpoint.load(file, new SmallVgg(3, 32, 32, 43, new SplittableRandom(1))));
        assertTrue(wrongClasses.getMessage().contains("vgg.safetensors"), wrongClasses.getMessage());
        assertTrue(wrongClasses.getMessage().contains("size mismatches [classifier.weight: given [10, 2048], "
                + "model has [43, 2048], classifier.bias: given [10], model has [43]]"), wrongClasses.getMessage());

        SafetensorsException wrongModel = assertThrows(SafetensorsException.class,
                () -> Checkpoint.load(file, new PreActResNet18(3, 10, new SplittableRandom(1))));
        assertTrue(wrongModel.getMessage().contains("missing keys [conv1.weight"), wrongModel.getMessage());
        assertTrue(wrongModel.getMessage().contains("unexpected keys [classifier.bias"), wrongModel.getMessage());
        assertTrue(wrongModel.getMessage().contains(", ... and 78 more]"), "long lists are cut: " + wrongModel.getMessage());
        assertEquals(1, wrongModel.getMessage().lines().count(), "one line");
    }

    @Test
    void readInfoExplainsFilesWithoutAntidoteMetadata() throws IOException {
        Path file = dir.resolve("plain.safetensors");
        SafetensorsWriter.write(file, List.of(new NamedTensor("w", SafeDType.F32, Tensor.ones(2))), Map.of());
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Checkpoint.readInfo(file));
        assertTrue(e.getMessage().contains("has no 'model'"), e.getMessage());
    }

    @Test
    void aBadInputShapeInTheMetadataSaysSo() throws IOException {
        for (String shape : new String[] {"3,32", "3,0,32", "3,x,32"}) {
            Path file = dir.resolve("shape.safetensors");
            SafetensorsWriter.write(file, List.of(new NamedTensor("w", SafeDType.F32, Tensor.ones(2))),
                    Map.of("model", "small-vgg", "classes", "10", "input_shape", shape, "seed", "0",
                            "antidote_version", "0"));
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> Checkpoint.readInfo(file));
            assertTrue(e.getMessage().contains("input_shape"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    private List<Path> listDir() throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
