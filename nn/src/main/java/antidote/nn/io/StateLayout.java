package antidote.nn.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a state-dict file stores its tensors: each key (without {@code prefix}) with its dtype, in file order,
 * and the prefix every key carried ({@code "module."} for a model saved from DataParallel, else empty).
 * {@link Checkpoint#save(java.nio.file.Path, antidote.nn.Module, ModelInfo, StateLayout)} writes a model back
 * in this layout, so that the program that wrote the input can load the output the same way.
 */
public record StateLayout(String prefix, Map<String, SafeDType> dtypes) {

    public StateLayout {
        dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
    }
}
