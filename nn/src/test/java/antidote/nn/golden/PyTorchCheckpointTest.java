package antidote.nn.golden;

import antidote.core.DType;
import antidote.grad.GradMode;
import antidote.nn.io.Checkpoint;
import antidote.nn.io.ModelInfo;
import antidote.nn.io.NamedTensor;
import antidote.nn.io.SafeDType;
import antidote.nn.io.SafetensorsFile;
import antidote.nn.io.SafetensorsWriter;
import antidote.nn.io.StateLayout;
import antidote.nn.io.TensorEntry;
import antidote.nn.model.PreActResNet18;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checkpoints as PyTorch users hold them load here and compute PyTorch's logits, and the layout-preserving save
 * gives a file PyTorch loads strictly. The saved files go to {@code nn/target/roundtrip}, where
 * tools/golden/check_roundtrip.py loads them into the PyTorch models.
 */
class PyTorchCheckpointTest {
    /** Where the files for tools/golden/check_roundtrip.py are written (relative to the nn module). */
    static final Path ROUNDTRIP = Path.of("target", "roundtrip");
    /** Float32 forward passes agree with PyTorch's float64 logits to this fraction of the largest logit. */
    private static final double FLOAT32_RELATIVE = 1e-4;

    @Test
    void dataParallelFloat16SmallVggLoadsWithNotesAndMatchesPyTorch() throws IOException {
        SmallVgg model = new SmallVgg(3, 32, 32, 43, new SplittableRandom(3));
        List<String> notes = Checkpoint.load(GoldenFile.path("torch_smallvgg_3x32x32_f16"), model);
        assertEquals(List.of("stripped the 'module.' prefix (DataParallel) from 44 keys",
                "converted 38 F16 tensors to the model's float32"), notes);
        assertEquals(1.0, model.stateDict().get("features.1.num_batches_tracked").item(), "num_batches_tracked");

        GoldenFile io = GoldenFile.load("torch_smallvgg_3x32x32_f16_io");
        model.eval();
        try (GradMode.Scope off = GradMode.disabled()) {
            assertCloseFloat32("float32 logits", io.get("y"), model.forward(io.get("x").to(DType.FLOAT32)));
            model.to(DType.FLOAT64);
            Close.assertClose("float64 logits", io.get("y"), model.forward(io.get("x")));
        }
    }

    @Test
    void layoutPreservingSaveWritesTheInputsKeysAndDtypes() throws IOException {
        Path input = GoldenFile.path("torch_smallvgg_3x32x32_f16");
        SmallVgg model = new SmallVgg(3, 32, 32, 43, new SplittableRandom(3));
        Checkpoint.load(input, model);
        Files.createDirectories(ROUNDTRIP);
        Path output = ROUNDTRIP.resolve("smallvgg_3x32x32_f16_resaved.safetensors");
        Checkpoint.save(output, model, ModelInfo.of("small-vgg", 43, model.inputShape(), 0), Checkpoint.layout(input));

        try (SafetensorsFile in = SafetensorsFile.open(input); SafetensorsFile out = SafetensorsFile.open(output)) {
            assertEquals(describe(in.entries()), describe(out.entries()), "names, dtypes and shapes in order");
            for (TensorEntry e : in.entries()) {
                assertArrayEquals(in.read(e.name(), DType.FLOAT64, GoldenFile.DEVICE).toDoubleArray(),
                        out.read(e.name(), DType.FLOAT64, GoldenFile.DEVICE).toDoubleArray(), e.name());
            }
            assertEquals("small-vgg", out.metadata().get("model"));
        }
    }

    @Test
    void preActResNet18HasBackdoorBenchsKeysShapesAndDtypes() throws IOException {
        PreActResNet18 model = new PreActResNet18(3, 10, new SplittableRandom(1));
        Path file = Files.createTempFile("preact", ".safetensors");
        try {
            Checkpoint.save(file, model, ModelInfo.of("preact-resnet18", 10, new int[] {3, 32, 32}, 1));
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                assertEquals(torchPreActKeys(), describe(f.entries()));
            }
        } finally {
            Files.delete(file);
        }
    }

    /**
     * Writes a pattern-filled PreActResNet18 (45 MB) and its logits for check_roundtrip.py, which loads them into
     * BackdoorBench's model; only when {@code -Dantidote.roundtrip=true} (it takes seconds and the disk space).
     */
    @Test
    @EnabledIfSystemProperty(named = "antidote.roundtrip", matches = "true")
    void preActResNet18ForPyTorch() throws IOException {
        PreActResNet18 model = new PreActResNet18(3, 10, new SplittableRandom(1));
        GoldenPattern.fill(model);
        model.eval();
        Map<String, SafeDType> dtypes = new LinkedHashMap<>();
        for (String line : torchPreActKeys()) {
            String[] parts = line.split(" ");
            dtypes.put(parts[0], SafeDType.valueOf(parts[1]));
        }
        Files.createDirectories(ROUNDTRIP);
        Checkpoint.save(ROUNDTRIP.resolve("preactresnet18_pattern.safetensors"), model,
                ModelInfo.of("preact-resnet18", 10, new int[] {3, 32, 32}, 0), new StateLayout("", dtypes));
        Tensor x = Tensor.rand(new SplittableRandom(5), 2, 3, 32, 32);
        try (GradMode.Scope off = GradMode.disabled()) {
            Tensor y = model.forward(x);
            SafetensorsWriter.write(ROUNDTRIP.resolve("preactresnet18_pattern_io.safetensors"),
                    List.of(new NamedTensor("x", SafeDType.F32, x), new NamedTensor("y", SafeDType.F32, y)), Map.of());
        }
    }

    /** "name DTYPE [dims]" per entry of BackdoorBench's PreActResNet18 state dict, from make_golden.py. */
    private static List<String> torchPreActKeys() throws IOException {
        Path json = GoldenFile.resource("torch_preactresnet18_keys.json");
        List<String> out = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(json)).getAsJsonArray()) {
            JsonArray entry = e.getAsJsonArray();
            int[] dims = new int[entry.get(2).getAsJsonArray().size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = entry.get(2).getAsJsonArray().get(i).getAsInt();
            }
            out.add(entry.get(0).getAsString() + " " + entry.get(1).getAsString() + " " + Shape.of(dims));
        }
        return out;
    }

    private static List<String> describe(List<TensorEntry> entries) {
        return entries.stream().map(e -> e.name() + " " + e.dtype() + " " + e.shape()).toList();
    }

    private static void assertCloseFloat32(String what, Tensor expected, Tensor actual) {
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        assertEquals(e.length, a.length, what + ": size");
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= FLOAT32_RELATIVE * scale)) {
                fail(what + ": element " + i + " is " + a[i] + ", PyTorch gives " + e[i]);
            }
        }
    }
}
