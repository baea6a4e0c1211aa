package antidote.nn.golden;

import antidote.backend.Backends;
import antidote.core.DType;
import antidote.core.Device;
import antidote.nn.io.SafetensorsFile;
import antidote.nn.io.TensorEntry;
import antidote.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A golden file written by tools/golden/make_golden.py, read as float64 tensors on the default device. */
final class GoldenFile {
    static final Device DEVICE = Backends.defaultDevice();

    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private GoldenFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** The path of test resource golden/{@code name}.safetensors. */
    static Path path(String name) {
        return resource(name + ".safetensors");
    }

    /** The path of test resource golden/{@code fileName}. */
    static Path resource(String fileName) {
        URL url = GoldenFile.class.getResource("/golden/" + fileName);
        if (url == null) {
            throw new IllegalStateException("golden/" + fileName + " is missing; run "
                    + "/usr/bin/python3 tools/golden/make_golden.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static GoldenFile load(String name) {
        try (SafetensorsFile file = SafetensorsFile.open(path(name))) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (TensorEntry e : file.entries()) {
                tensors.put(e.name(), file.read(e.name(), DType.FLOAT64, DEVICE));
            }
            return new GoldenFile(tensors, file.metadata());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("golden file has no tensor '" + name + "'; it has " + tensors.keySet());
        }
        return t;
    }

    boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The entries whose names start with {@code prefix}, with the prefix removed, in file order. */
    Map<String, Tensor> withPrefix(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((n, t) -> {
            if (n.startsWith(prefix)) {
                out.put(n.substring(prefix.length()), t);
            }
        });
        return out;
    }

    boolean trainMode() {
        return "train".equals(metadata.get("mode"));
    }
}
