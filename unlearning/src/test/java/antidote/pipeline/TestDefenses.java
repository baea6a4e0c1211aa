package antidote.pipeline;

import antidote.defense.Defense;
import antidote.defense.SettingsRecord;

import java.util.Map;

/** Test helper: a defense with its defaults, a budget of rounds (I-BAU) or epochs (others), and a seed. */
final class TestDefenses {
    private TestDefenses() {
    }

    static Defense create(String name, int budget, long seed) {
        return create(Defenses.kind(name), budget, seed);
    }

    private static <S extends Record> Defense create(DefenseKind<S> kind, int budget, long seed) {
        S s = kind.defaults();
        String unit = SettingsRecord.has(s, "rounds") ? "rounds" : "epochs";
        return kind.create(SettingsRecord.with(s, Map.of(unit, budget, "seed", seed)));
    }
}
