package antidote.attack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An attack with its options as users write it, {@code name[:key=value]...} with the options separated by
 * {@code :} or {@code ,}: {@code wanet:strength=1}, {@code badnets:size=4:value=0.9},
 * {@code badnets:size=4,row=-5,col=-5,target=8}; the options are those of {@code antidote train --attack-option}.
 */
public record AttackSpec(String name, Map<String, String> options) {

    public AttackSpec {
        options = Map.copyOf(options);
    }

    public static AttackSpec parse(String text) {
        String[] parts = text.strip().split("[:,]");
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0 || eq == parts[i].length() - 1) {
                throw new IllegalArgumentException("attack '" + text + "': option '" + parts[i]
                        + "' must be KEY=VALUE, as in wanet:strength=1");
            }
            options.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("attack '" + text + "' has no name; write NAME[:KEY=VALUE]...");
        }
        return new AttackSpec(parts[0], options);
    }
}
