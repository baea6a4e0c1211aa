package antidote.nn.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a checkpoint records about its model in the safetensors {@code __metadata__}: the model name,
 * number of classes, input shape [C, H, W], the seed it was initialised or trained with, and the Antidote
 * version that wrote it. Keys: {@code model}, {@code classes}, {@code input_shape} (e.g. "3,32,32"),
 * {@code seed}, {@code antidote_version}.
 */
public record ModelInfo(String model, int classes, List<Integer> inputShape, long seed, String version) {

    public ModelInfo {
        inputShape = List.copyOf(inputShape);
    }

    /** Info stamped with the running Antidote version. */
    public static ModelInfo of(String model, int classes, int[] inputShape, long seed) {
        return new ModelInfo(model, classes, Arrays.stream(inputShape).boxed().toList(), seed, antidoteVersion());
    }

    /** The version of this build of Antidote (the Maven project version). */
    public static String antidoteVersion() {
        Properties p = new Properties();
        try (InputStream in = ModelInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("antidote/nn/io/version.properties is missing from the class path; "
                        + "rebuild the nn module with Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    /** The metadata strings written to a checkpoint header. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("classes", Integer.toString(classes));
        m.put("input_shape", String.join(",", inputShape.stream().map(String::valueOf).toList()));
        m.put("seed", Long.toString(seed));
        m.put("antidote_version", version);
        return m;
    }

    /** Reads the info back from the metadata of {@code file}. */
    public static ModelInfo fromMetadata(Path file, Map<String, String> metadata) throws SafetensorsException {
        for (String key : List.of("model", "classes", "input_shape", "seed", "antidote_version")) {
            if (!metadata.containsKey(key)) {
                throw new SafetensorsException(file, "__metadata__ has no '" + key + "'; the file was not written by "
                        + "Antidote's Checkpoint.save, so build the model yourself and call Checkpoint.load");
            }
        }
        try {
            List<Integer> shape = Arrays.stream(metadata.get("input_shape").split(",")).map(String::trim)
                    .map(Integer::valueOf).toList();
            if (shape.size() != 3 || shape.stream().anyMatch(d -> d < 1)) {
                throw new SafetensorsException(file, "__metadata__ input_shape '" + metadata.get("input_shape")
                        + "' is not C,H,W with positive sizes (e.g. 3,32,32); fix the metadata or load the state "
                        + "dict with defend --model and --input-shape");
            }
            return new ModelInfo(metadata.get("model"), Integer.parseInt(metadata.get("classes")), shape,
                    Long.parseLong(metadata.get("seed")), metadata.get("antidote_version"));
        } catch (NumberFormatException e) {
            throw new SafetensorsException(file, "__metadata__ holds a malformed number (classes, input_shape or "
                    + "seed): " + e.getMessage(), e);
        }
    }
}
