package antidote.pipeline;

import antidote.defense.Defense;
import antidote.defense.SettingsRecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One defense as the command line and the reproduction know it: its name, the prefix of its options
 * ({@code --ibau-rounds}), its named presets (the first is the default), the short options {@code defend}
 * maps onto its settings ({@code --rounds}, {@code --epochs}, {@code --lr}), and how it is built from its settings.
 *
 * @param name         the command-line name, e.g. "ibau"
 * @param title        the name in help and reports, e.g. "I-BAU"
 * @param optionPrefix the prefix of its options; defenses sharing a settings record share a prefix
 * @param presets      named settings, the default first
 * @param shorthands   {@code defend}'s short option (without dashes) to the setting it sets
 * @param factory      builds the defense from its settings
 */
public record DefenseKind<S extends Record>(String name, String title, String optionPrefix, Map<String, S> presets,
                                            Map<String, String> shorthands, Function<S, Defense> factory) {

    public DefenseKind {
        if (presets.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one preset");
        }
        presets = new LinkedHashMap<>(presets);
        shorthands = Map.copyOf(shorthands);
    }

    /** The default settings: the first preset. */
    public S defaults() {
        return presets.values().iterator().next();
    }

    /** The preset called {@code preset}, or a one-line error naming the known ones. */
    public S preset(String preset) {
        S s = presets.get(preset);
        if (s == null) {
            throw new IllegalArgumentException(name + " has no preset '" + preset + "'; choose one of "
                    + presets.keySet());
        }
        return s;
    }

    /** The defense built from {@code settings}, which must be this defense's record type. */
    public Defense create(Record settings) {
        S typed = settingsType().cast(settings);
        return factory.apply(typed);
    }

    /** {@code settings} with its seed replaced, when the record has one. */
    public S withSeed(S settings, long seed) {
        return SettingsRecord.has(settings, "seed") ? SettingsRecord.with(settings, "seed", seed) : settings;
    }

    @SuppressWarnings("unchecked")
    public Class<S> settingsType() {
        return (Class<S>) defaults().getClass();
    }
}
