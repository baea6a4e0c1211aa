package antidote.repro;

import antidote.poison.TrainConfig;
import antidote.privacy.DpSettings;
import antidote.report.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One defended model of a reproduction grid: the poisoned model's training config, the attack as the plan wrote
 * it, the defense with its full settings, and the clean-set size. {@link #hash()} identifies it: two cells with
 * the same hash give the same result, so a finished cell is read from the cache instead of computed again, and
 * {@code reproduce --cell HASH} runs exactly one.
 */
public record Cell(TrainConfig train, String attack, String defense, Record settings, int cleanSamples) {
    private static final int HASH_CHARS = 16;

    /** A dp cell's model: the row's poisoned-model config trained again with DP-SGD under this cell's settings. */
    TrainConfig dpTrain() {
        return train.withDp((DpSettings) settings);
    }

    /** The first 16 hex digits of the SHA-256 of everything that determines the cell's result. */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.compact(identity()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** The cell as one JSON object: its hash and what it runs ({@code reproduce --list} prints these). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", hash());
        m.putAll(identity());
        return m;
    }

    private Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", train.dataset());
        m.put("model", train.model());
        m.put("attack", attack);
        m.put("train", train);
        m.put("defense", defense);
        m.put("settings", settings);
        m.put("clean_samples", cleanSamples);
        return m;
    }
}
