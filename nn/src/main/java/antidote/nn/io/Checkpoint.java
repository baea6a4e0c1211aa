package antidote.nn.io;

import antidote.nn.Buffer;
import antidote.nn.Module;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a module's state dict as safetensors under PyTorch's names, so a checkpoint written by
 * PyTorch ({@code safetensors.torch.save_file(model.state_dict(), path)}) loads here without renaming and
 * the other way round. Float tensors keep their dtype (F32 or F64); integral buffers
 * ({@code num_batches_tracked}) are written as I64 like PyTorch's. The header also records
 * {@code "format": "pt"} and the {@link ModelInfo}.
 */
public final class Checkpoint {
    private Checkpoint() {
    }

    /** Writes {@code model}'s state dict and {@code info} to {@code path} atomically. */
    public static void save(Path path, Module model, ModelInfo info) throws IOException {
        save(path, model, info, Map.of());
    }

    /** As above, with more metadata entries. */
    public static void save(Path path, Module model, ModelInfo info, Map<String, String> extra) throws IOException {
        Map<String, Buffer> buffers = model.namedBuffers();
        List<NamedTensor> tensors = new ArrayList<>();
        model.stateDict().forEach((name, t) -> {
            Buffer b = buffers.get(name);
            SafeDType type = b != null && b.integral() ? SafeDType.I64 : SafeDType.of(t.dtype());
            tensors.add(new NamedTensor(name, type, t));
        });
        Map<String, String> metadata = new LinkedHashMap<>(info.toMetadata());
        metadata.putAll(extra);
        metadata.put("format", "pt");
        SafetensorsWriter.write(path, tensors, metadata);
    }

    /** The model description stored in a checkpoint written by {@link #save}, reading only the header. */
    public static ModelInfo readInfo(Path path) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            return ModelInfo.fromMetadata(path, file.metadata());
        }
    }

    /** The state dict's tensor shapes by name, read from the header only. */
    public static Map<String, Shape> shapes(Path path) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            Map<String, Shape> shapes = new LinkedHashMap<>();
            file.entries().forEach(e -> shapes.put(e.name(), e.shape()));
            return shapes;
        }
    }

    /** The header's {@code __metadata__} (empty when the file has none). */
    public static Map<String, String> metadata(Path path) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            return Map.copyOf(file.metadata());
        }
    }

    /**
     * Loads the state dict in {@code path} into {@code model} (strict: same keys and shapes, checked from
     * the header before any tensor is read). Values are converted to the model's dtype and device.
     */
    public static List<String> load(Path path, Module model) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            Map<String, Shape> shapes = new LinkedHashMap<>();
            file.entries().forEach(e -> shapes.put(e.name(), e.shape()));
            try {
                model.checkStateShapes(shapes);
            } catch (IllegalArgumentException e) {
                throw new SafetensorsException(path, e.getMessage(), e);
            }
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> slot : model.stateDict().entrySet()) {
                Tensor current = slot.getValue();
                state.put(slot.getKey(), file.read(slot.getKey(), current.dtype(), current.device()));
            }
            model.loadStateDict(state);
        }
        return List.of();
    }
}
