package antidote.pipeline;

import antidote.attack.Attack;
import antidote.attack.InputAware;
import antidote.attack.InputAwareNetworks;
import antidote.poison.Experiment;
import antidote.poison.TrainConfig;
import antidote.report.Json;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The attack of a run folder as it was trained: the config's attack, plus, for the input-aware attack, the generators
 * the training run saved, named in its report under {@value #KEY} (a defend output names its training run's file).
 */
public final class RunAttack {
    /** The report entry naming the generators' file, relative to the run folder or absolute. */
    public static final String KEY = "attack_networks";

    private RunAttack() {
    }

    /** The attack of the run in {@code runDir}, whose config is {@code config}, with its trained parts loaded. */
    public static Attack of(Path runDir, TrainConfig config) throws IOException {
        Attack attack = Experiment.attack(config);
        if (!(attack instanceof InputAware inputAware)) {
            return attack;
        }
        Path report = runDir.resolve(TrainRun.REPORT);
        JsonObject tree = Json.read(report, JsonObject.class);
        if (!tree.has(KEY) || !tree.getAsJsonObject(KEY).has("file")) {
            throw new IOException(report + " names no iab generators (\"" + KEY + "\".file): train the iab model again "
                    + "with this version of antidote, which saves them");
        }
        Path file = runDir.resolve(tree.getAsJsonObject(KEY).get("file").getAsString());
        if (!Files.exists(file)) {
            throw new IOException(file + " (the iab generators named in " + report + ") is missing: copy it back next "
                    + "to the model, or train again");
        }
        return inputAware.withNetworks(InputAwareNetworks.load(file));
    }

    /** Saves the trained parts of {@code attack} in {@code out}; returns what the report says about them, if any. */
    public static Optional<Map<String, Object>> save(Attack attack, Path out) throws IOException {
        if (!(attack instanceof InputAware inputAware) || inputAware.networks().isEmpty()) {
            return Optional.empty();
        }
        Path file = out.resolve(InputAwareNetworks.FILE);
        inputAware.networks().get().save(file);
        return Optional.of(describe(file.getFileName().toString()));
    }

    /** The report entry for the generators in {@code file}. */
    static Map<String, Object> describe(String file) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", file);
        entry.put("what", "the input-aware attack's pattern and mask generators (safetensors, keys pattern.* and "
                + "mask.*), trained with the model; evaluate and defend --run make the test triggers with them");
        return entry;
    }
}
