package antidote.nn.io;

import antidote.core.DType;
import antidote.nn.model.SmallVgg;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading state dicts that did not come from Antidote: prefixes, dtypes, missing counters, mismatched keys and
 * corrupt values. Every refusal is one line naming the file and the tensor, and leaves the model unchanged.
 */
class CheckpointLoadingTest {
    @TempDir
    Path dir;

    private final SmallVgg source = new SmallVgg(1, 8, 8, 3, new SplittableRandom(1));

    /** The source model's state dict as PyTorch writes it, each entry passed through {@code edit} (null drops it). */
    private Path plain(String file, UnaryOperator<NamedTensor> edit) throws IOException {
        List<NamedTensor> tensors = new ArrayList<>();
        source.stateDict().forEach((name, t) -> {
            SafeDType type = name.endsWith("num_batches_tracked") ? SafeDType.I64 : SafeDType.F32;
            NamedTensor edited = edit.apply(new NamedTensor(name, type, t));
            if (edited != null) {
                tensors.add(edited);
            }
        });
        Path path = dir.resolve(file + ".safetensors");
        SafetensorsWriter.write(path, tensors, Map.of());
        return path;
    }

    private static UnaryOperator<NamedTensor> replace(String name, float... values) {
        return t -> t.name().equals(name) ? new NamedTensor(name, t.dtype(), changed(t.tensor(), values)) : t;
    }

    /** {@code tensor} with its first elements set to {@code values}. */
    private static Tensor changed(Tensor tensor, float... values) {
        float[] v = tensor.toFloatArray();
        System.arraycopy(values, 0, v, 0, values.length);
        return Tensor.fromArray(v, tensor.shape(), tensor.device());
    }

    private SmallVgg fresh() {
        return new SmallVgg(1, 8, 8, 3, new SplittableRandom(2));
    }

    private void assertSameState(SmallVgg expected, SmallVgg actual) {
        Map<String, Tensor> state = actual.stateDict();
        expected.stateDict().forEach((n, t) -> assertArrayEquals(t.toFloatArray(), state.get(n).toFloatArray(), n));
    }

    private SafetensorsException refused(Path file, String... fragments) {
        SmallVgg model = fresh();
        SmallVgg untouched = fresh();
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Checkpoint.load(file, model));
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), m);
        assertEquals(1, m.lines().count(), "one line: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "'" + f + "' in: " + m);
        }
        assertSameState(untouched, model);
        return e;
    }

    @Test
    void plainStateDictLoadsWithoutNotes() throws IOException {
        SmallVgg model = fresh();
        assertEquals(List.of(), Checkpoint.load(plain("plain", t -> t), model));
        assertSameState(source, model);
    }

    @Test
    void dataParallelPrefixIsStripped() throws IOException {
        Path file = plain("prefixed", t -> new NamedTensor("module." + t.name(), t.dtype(), t.tensor()));
        SmallVgg model = fresh();
        assertEquals(List.of("stripped the 'module.' prefix (DataParallel) from 44 keys"), Checkpoint.load(file, model));
        assertSameState(source, model);
        assertEquals(source.stateDict().keySet(), Checkpoint.shapes(file).keySet());
        assertEquals("module.", Checkpoint.layout(file).prefix());
        assertEquals(Map.of(), Checkpoint.metadata(file));
    }

    @Test
    void aPrefixOnSomeKeysOnlyIsAMismatch() throws IOException {
        Path file = plain("half-prefixed", t -> t.name().startsWith("classifier")
                ? new NamedTensor("module." + t.name(), t.dtype(), t.tensor()) : t);
        refused(file, "missing keys [classifier.bias, classifier.weight]",
                "unexpected keys [module.classifier.bias, module.classifier.weight]");
    }

    @Test
    void halfBfloat16DoubleAndInt32AreConverted() throws IOException {
        Path file = plain("mixed", t -> {
            if (t.name().endsWith("num_batches_tracked")) {
                return new NamedTensor(t.name(), SafeDType.I32, t.tensor());
            }
            SafeDType type = t.name().startsWith("features.0.") ? SafeDType.F16
                    : t.name().startsWith("features.1.") ? SafeDType.BF16 : SafeDType.F64;
            return new NamedTensor(t.name(), type, t.tensor());
        });
        SmallVgg model = fresh();
        assertEquals(List.of("converted 2 F16 and 4 BF16 and 32 F64 tensors to the model's float32"),
                Checkpoint.load(file, model));
        Map<String, Tensor> loaded = model.stateDict();
        source.stateDict().forEach((n, t) -> {
            double tolerance = n.startsWith("features.0.") ? 1e-3 : n.startsWith("features.1.") ? 1e-2 : 0;
            float[] expected = t.toFloatArray();
            float[] actual = loaded.get(n).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], tolerance * Math.max(1, Math.abs(expected[i])), n + "[" + i + "]");
            }
        });
        Map<String, SafeDType> dtypes = Checkpoint.layout(file).dtypes();
        assertEquals(SafeDType.F16, dtypes.get("features.0.weight"));
        assertEquals(SafeDType.I32, dtypes.get("features.1.num_batches_tracked"));
    }

    @Test
    void missingCountersKeepTheModelsValueAsPyTorchDoes() throws IOException {
        Path file = plain("no-counters", t -> t.name().endsWith("num_batches_tracked") ? null : t);
        SmallVgg model = fresh();
        assertEquals(List.of("6 num_batches_tracked counters are missing from the file; kept the model's values "
                + "(PyTorch's load_state_dict does the same)"), Checkpoint.load(file, model));
        Path resaved = dir.resolve("resaved.safetensors");
        Checkpoint.save(resaved, model, ModelInfo.of("small-vgg", 3, model.inputShape(), 0), Checkpoint.layout(file));
        assertEquals(Checkpoint.layout(file), Checkpoint.layout(resaved), "saved back without the counters");
    }

    @Test
    void everyKindOfMismatchIsListedInOneMessage() throws IOException {
        Path file = plain("mismatch", t -> switch (t.name()) {
            case "features.0.bias" -> null;
            case "classifier.bias" -> new NamedTensor("classifier.bias", t.dtype(), Tensor.zeros(5));
            case "features.3.weight" -> new NamedTensor("features.3.kernel", t.dtype(), t.tensor());
            default -> t;
        });
        refused(file, "missing keys [features.0.bias, features.3.weight]", "unexpected keys [features.3.kernel]",
                "size mismatches [classifier.bias: given [5], model has [3]]");
    }

    @Test
    void nanWeightIsRefused() throws IOException {
        refused(plain("nan", replace("features.3.weight", 0.5f, Float.NaN, Float.NaN)), "tensor 'features.3.weight'",
                "2 of 9216 values are not finite (first: NaN at index 1)",
                "the checkpoint is corrupt or training diverged");
    }

    @Test
    void infiniteBiasIsRefused() throws IOException {
        refused(plain("inf", replace("classifier.bias", Float.NEGATIVE_INFINITY)), "tensor 'classifier.bias'",
                "1 of 3 values are not finite (first: -Infinity at index 0)");
    }

    @Test
    void doubleBeyondFloatRangeIsRefusedAfterConversion() throws IOException {
        String name = "features.1.bias";
        Tensor huge = Tensor.full(Shape.of(32), 1e300, DType.FLOAT64, source.stateDict().get(name).device());
        Path file = plain("huge", t -> t.name().equals(name) ? new NamedTensor(name, SafeDType.F64, huge) : t);
        refused(file, "tensor 'features.1.bias'", "32 of 32 values are not finite", "after conversion to float32");
    }

    @Test
    void negativeRunningVarianceIsRefused() throws IOException {
        refused(plain("negvar", replace("features.4.running_var", 1f, 1f, -0.25f)), "tensor 'features.4.running_var'",
                "1 of 32 batch-norm running variances are negative (first: -0.25 at index 2)",
                "the checkpoint is corrupt or training diverged");
    }

    @Test
    void zeroRunningVarianceIsAccepted() throws IOException {
        Checkpoint.load(plain("zerovar", replace("features.4.running_var", 0f, 0f)), fresh());
    }

    @Test
    void layoutSaveRefusesKeysTheModelLacks() throws IOException {
        Map<String, SafeDType> dtypes = new LinkedHashMap<>(Checkpoint.layout(plain("keys", t -> t)).dtypes());
        dtypes.put("extra.weight", SafeDType.F32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(
                dir.resolve("out.safetensors"), source, ModelInfo.of("small-vgg", 3, source.inputShape(), 0),
                new StateLayout("", dtypes)));
        assertTrue(e.getMessage().contains("keys not in the model [extra.weight]"), e.getMessage());
    }

    @Test
    void float64ModelsLoadFloat32FilesWithANote() throws IOException {
        SmallVgg model = fresh();
        model.to(DType.FLOAT64);
        assertEquals(List.of("converted 38 F32 tensors to the model's float64"),
                Checkpoint.load(plain("f32", t -> t), model));
    }
}
