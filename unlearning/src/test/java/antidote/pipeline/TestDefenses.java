package antidote.pipeline;

import antidote.defense.Defense;
import antidote.defense.SettingsRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * Test helper: a defense with its defaults, a budget of rounds (I-BAU) or epochs (others), and a seed; Fine-Pruning
 * holds out 100 images, so that it works on the tests' small clean sets, and NAD's teacher trains for one epoch.
 */
final class TestDefenses {
    private TestDefenses() {
    }

    static Defense create(String name, int budget, long seed) {
        return create(Defenses.kind(name), budget, seed);
    }

    private static <S extends Record> Defense create(DefenseKind<S> kind, int budget, long seed) {
        S s = kind.defaults();
        String unit = SettingsRecord.has(s, "rounds") ? "rounds" : "epochs";
        Map<String, Object> values = new HashMap<>(Map.of(unit, budget, "seed", seed));
        if (SettingsRecord.has(s, "held-out")) {
            values.put("held-out", 100);
        }
        if (SettingsRecord.has(s, "teacher-epochs")) {
            values.put("teacher-epochs", 1);
        }
        return kind.create(SettingsRecord.with(s, values));
    }
}
