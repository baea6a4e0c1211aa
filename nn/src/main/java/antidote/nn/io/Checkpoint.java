package antidote.nn.io;

import antidote.core.DType;
import antidote.nn.KeyList;
import antidote.nn.Module;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Saves and loads a module's state dict as safetensors under PyTorch's names, so a checkpoint written by
 * PyTorch ({@code safetensors.torch.save_file(model.state_dict(), path)}) loads here without renaming and
 * the other way round. Loading accepts F16, BF16, F32 and F64 floats (converted to the model's dtype) and
 * I32 or I64 counters, strips a {@code module.} prefix (DataParallel), and refuses non-finite values and
 * negative batch-norm running variances. {@link #save(Path, Module, ModelInfo)} writes F32 or F64 floats and
 * I64 counters; {@link #save(Path, Module, ModelInfo, StateLayout)} writes the keys and dtypes of the file
 * the model came from. Both record {@code "format": "pt"} and the {@link ModelInfo} in the header.
 */
public final class Checkpoint {
    /** The prefix {@code torch.nn.DataParallel} puts before every key of the model it wraps. */
    public static final String DATA_PARALLEL_PREFIX = "module.";

    private static final String CORRUPT = "the checkpoint is corrupt or training diverged; use an earlier checkpoint";

    private Checkpoint() {
    }

    /** Writes {@code model}'s state dict and {@code info} to {@code path} atomically. */
    public static void save(Path path, Module model, ModelInfo info) throws IOException {
        Set<String> counters = counters(model);
        Map<String, SafeDType> dtypes = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) ->
                dtypes.put(name, counters.contains(name) ? SafeDType.I64 : SafeDType.of(t.dtype())));
        save(path, model, info, new StateLayout("", dtypes));
    }

    /**
     * Writes {@code model}'s state dict and {@code info} to {@code path} atomically in {@code layout}: the
     * layout's keys in its order, each with the prefix and in the dtype given (floats rounded to nearest even
     * when narrowed to F16 or BF16), so that {@code load_file} + {@code load_state_dict(strict=True)} loads it
     * into the PyTorch model the layout was read from.
     *
     * @throws IllegalArgumentException when the layout names a key the model does not have, or leaves out
     *                                  one that is not a counter PyTorch tolerates missing
     */
    public static void save(Path path, Module model, ModelInfo info, StateLayout layout) throws IOException {
        save(path, model, info, layout, Map.of());
    }

    /** As above, with {@code extra} metadata entries beside the model info (e.g. the input normalisation). */
    public static void save(Path path, Module model, ModelInfo info, StateLayout layout, Map<String, String> extra)
            throws IOException {
        Map<String, Tensor> state = model.stateDict();
        List<String> unknown = layout.dtypes().keySet().stream().filter(k -> !state.containsKey(k)).toList();
        Set<String> counters = counters(model);
        List<String> left = state.keySet().stream().filter(k -> !layout.dtypes().containsKey(k))
                .filter(k -> !counters.contains(k)).toList();
        if (!unknown.isEmpty() || !left.isEmpty()) {
            throw new IllegalArgumentException("cannot save " + model.getClass().getSimpleName() + " in this layout: "
                    + "keys not in the model " + KeyList.of(unknown) + ", model keys not in the layout "
                    + KeyList.of(left) + "; save with the layout of the file the model was loaded from");
        }
        List<NamedTensor> tensors = new ArrayList<>();
        layout.dtypes().forEach((name, type) ->
                tensors.add(new NamedTensor(layout.prefix() + name, type, state.get(name))));
        Map<String, String> metadata = new LinkedHashMap<>(info.toMetadata());
        metadata.putAll(extra);
        metadata.put("format", "pt");
        SafetensorsWriter.write(path, tensors, metadata);
    }

    /** The model description stored in a checkpoint written by {@link #save}, reading only the header. */
    public static ModelInfo readInfo(Path path) throws IOException {
        return ModelInfo.fromMetadata(path, metadata(path));
    }

    /** The {@code __metadata__} strings of {@code path} (empty when it has none), reading only the header. */
    public static Map<String, String> metadata(Path path) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            return file.metadata();
        }
    }

    /** Each key's shape in file order, without a {@code module.} prefix, reading only the header. */
    public static Map<String, Shape> shapes(Path path) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            String prefix = prefix(file.entries());
            Map<String, Shape> shapes = new LinkedHashMap<>();
            file.entries().forEach(e -> shapes.put(e.name().substring(prefix.length()), e.shape()));
            return shapes;
        }
    }

    /** The keys, dtypes and prefix of {@code path}, to save a model back in the same layout; reads only the header. */
    public static StateLayout layout(Path path) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            String prefix = prefix(file.entries());
            Map<String, SafeDType> dtypes = new LinkedHashMap<>();
            file.entries().forEach(e -> dtypes.put(e.name().substring(prefix.length()), e.dtype()));
            return new StateLayout(prefix, dtypes);
        }
    }

    /**
     * Loads the state dict in {@code path} into {@code model}, strict like PyTorch's
     * {@code load_state_dict(strict=True)}: the same keys and shapes, checked from the header before any
     * tensor is read. A {@code module.} prefix on every key is stripped; a missing {@code num_batches_tracked}
     * keeps the model's value, as PyTorch does for a plain dict. Values are converted to the model's dtype and
     * device; every float must be finite and every {@code running_var} non-negative. The model is unchanged
     * when anything is refused.
     *
     * @return notes for the user on what was adapted (an empty list when the file fit as it was)
     * @throws SafetensorsException one line naming the file and every mismatched key, or the bad tensor
     */
    public static List<String> load(Path path, Module model) throws IOException {
        List<String> notes = new ArrayList<>();
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            String prefix = prefix(file.entries());
            if (!prefix.isEmpty()) {
                notes.add("stripped the '" + prefix + "' prefix (DataParallel) from " + file.entries().size()
                        + " keys");
            }
            Map<String, TensorEntry> entries = new LinkedHashMap<>();
            file.entries().forEach(e -> entries.put(e.name().substring(prefix.length()), e));
            Map<String, Tensor> current = model.stateDict();
            List<String> counters = counters(model).stream().filter(k -> !entries.containsKey(k)).toList();
            Map<String, Shape> shapes = new LinkedHashMap<>();
            entries.forEach((name, e) -> shapes.put(name, e.shape()));
            counters.forEach(k -> shapes.put(k, current.get(k).shape()));
            try {
                model.checkStateShapes(shapes);
            } catch (IllegalArgumentException e) {
                throw new SafetensorsException(path, e.getMessage(), e);
            }
            if (!counters.isEmpty()) {
                notes.add(counters.size() + " num_batches_tracked counters are missing from the file; kept the model's "
                        + "values (PyTorch's load_state_dict does the same)");
            }
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> slot : current.entrySet()) {
                String name = slot.getKey();
                TensorEntry entry = entries.get(name);
                if (entry == null) {
                    state.put(name, slot.getValue());
                    continue;
                }
                Tensor value = file.read(entry.name(), slot.getValue().dtype(), slot.getValue().device());
                checkValues(path, entry, name, value);
                state.put(name, value);
            }
            model.loadStateDict(state);
            conversionNote(entries.values(), current.values()).ifPresent(notes::add);
        }
        return notes;
    }

    /** {@code "module."} when every key of a non-empty file starts with it, else empty. */
    private static String prefix(List<TensorEntry> entries) {
        boolean all = !entries.isEmpty() && entries.stream().allMatch(e -> e.name().startsWith(DATA_PARALLEL_PREFIX));
        return all ? DATA_PARALLEL_PREFIX : "";
    }

    /** The keys of the model's integral buffers (num_batches_tracked), in state-dict order. */
    private static Set<String> counters(Module model) {
        Set<String> keys = new LinkedHashSet<>();
        model.namedBuffers().forEach((name, b) -> {
            if (b.integral()) {
                keys.add(name);
            }
        });
        return keys;
    }

    /** "converted 62 F16 tensors to float32" when float tensors of the file differ from the model's dtype. */
    private static Optional<String> conversionNote(Collection<TensorEntry> entries, Collection<Tensor> slots) {
        if (slots.isEmpty()) {
            return Optional.empty();
        }
        DType target = slots.iterator().next().dtype();
        Map<SafeDType, Integer> counts = new TreeMap<>();
        entries.stream().map(TensorEntry::dtype).filter(t -> t.floating() && t != SafeDType.of(target))
                .forEach(t -> counts.merge(t, 1, Integer::sum));
        if (counts.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((type, n) -> parts.add(n + " " + type));
        return Optional.of("converted " + String.join(" and ", parts) + " tensors to the model's "
                + target.name().toLowerCase(Locale.ROOT));
    }

    /** Refuses NaN or infinity in a float tensor (also F64 values beyond float32) and negative running variances. */
    private static void checkValues(Path path, TensorEntry entry, String name, Tensor value)
            throws SafetensorsException {
        if (!entry.dtype().floating()) {
            return;
        }
        double[] v = value.toDoubleArray();
        int bad = 0;
        int first = -1;
        boolean variance = name.equals("running_var") || name.endsWith(".running_var");
        int negative = 0;
        int firstNegative = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                bad++;
                first = first < 0 ? i : first;
            } else if (variance && v[i] < 0) {
                negative++;
                firstNegative = firstNegative < 0 ? i : firstNegative;
            }
        }
        if (bad > 0) {
            throw new SafetensorsException(path, entry.name(), bad + " of " + v.length + " values are not finite "
                    + "(first: " + v[first] + " at index " + first + (entry.dtype() == SafeDType.F64 ? ", after "
                    + "conversion to " + value.dtype().name().toLowerCase(Locale.ROOT) : "") + "); " + CORRUPT);
        }
        if (negative > 0) {
            throw new SafetensorsException(path, entry.name(), negative + " of " + v.length + " batch-norm running "
                    + "variances are negative (first: " + v[firstNegative] + " at index " + firstNegative + "); "
                    + CORRUPT);
        }
    }
}
