package antidote.cli;

import antidote.defense.SettingsRecord;
import antidote.pipeline.DefenseKind;
import antidote.pipeline.Defenses;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The command-line options of every defense's settings, generated from the settings records
 * ({@link SettingsRecord}): {@code --<prefix>-<setting>} for each setting, {@code --<prefix>-preset} where a
 * defense has several presets, grouped per defense in {@code --help} with each default taken from the record.
 * {@code defend} also gets the short options {@code --rounds}, {@code --epochs} and {@code --lr}, which set the
 * chosen defense's setting of that meaning and are refused where it has none.
 */
final class DefenseSettingOptions {
    static final String PRESET = "preset";

    private DefenseSettingOptions() {
    }

    /** Adds one option group per settings prefix to {@code spec}, and the short options when asked. */
    static void addTo(CommandSpec spec, boolean withShorthands) {
        for (Map.Entry<String, List<DefenseKind<?>>> e : byPrefix().entrySet()) {
            DefenseKind<?> first = e.getValue().get(0);
            String titles = e.getValue().stream().map(DefenseKind::title).collect(Collectors.joining(" and "));
            ArgGroupSpec.Builder group = ArgGroupSpec.builder().exclusive(false).multiplicity("0..1")
                    .heading("%n" + titles + " options (" + e.getValue().stream().map(DefenseKind::name)
                            .collect(Collectors.joining(", ")) + "):%n");
            if (first.presets().size() > 1) {
                group.addArg(OptionSpec.builder(option(first, PRESET)).type(String.class).paramLabel("NAME")
                        .description("Starting settings, one of " + first.presets().keySet()
                                + "; the options below override them (default: " + first.presets().keySet()
                                .iterator().next() + ").").build());
            }
            for (SettingsRecord.Field f : SettingsRecord.fields(first.defaults())) {
                group.addArg(optionFor(first, f));
            }
            spec.addArgGroup(group.build());
        }
        if (withShorthands) {
            spec.addOption(OptionSpec.builder("--rounds").type(String.class).paramLabel("N")
                    .description("Rounds of I-BAU or naive UAP (short for --ibau-rounds).").build());
            spec.addOption(OptionSpec.builder("--epochs").type(String.class).paramLabel("N")
                    .description("Epochs of SAU or fine-tuning (short for --sau-epochs, --ft-epochs).").build());
            spec.addOption(OptionSpec.builder("--lr").type(String.class).paramLabel("RATE")
                    .description("Learning rate of the chosen defense's model update (short for --ibau-outer-lr, "
                            + "--sau-lr, --ft-lr).").build());
        }
    }

    private static OptionSpec optionFor(DefenseKind<?> kind, SettingsRecord.Field f) {
        OptionSpec.Builder b = OptionSpec.builder(option(kind, f.name())).type(String.class)
                .description(f.help() + " (default: " + defaults(kind, f.name()) + ").");
        if (f.type() == boolean.class) {
            b.arity("0..1").fallbackValue("true").paramLabel("true|false");
        } else if (f.type().isEnum()) {
            b.paramLabel(enumNames(f.type()).stream().collect(Collectors.joining("|")));
        } else {
            b.paramLabel(f.type() == double.class ? "X" : "N");
        }
        return b.build();
    }

    /** The default of one setting, naming each preset's value where the presets differ. */
    private static String defaults(DefenseKind<?> kind, String setting) {
        Map<String, String> values = new LinkedHashMap<>();
        kind.presets().forEach((name, s) -> values.put(name, show(SettingsRecord.fields(s).stream()
                .filter(f -> f.name().equals(setting)).findFirst().orElseThrow().value())));
        if (values.values().stream().distinct().count() == 1) {
            return values.values().iterator().next();
        }
        return values.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String show(Object value) {
        return value instanceof Enum<?> e ? SettingsRecord.spell(e) : String.valueOf(value);
    }

    /**
     * The settings of {@code kind} on this command line: its preset (or the given base), with every option the
     * user gave applied. Options of defenses whose prefix is not in {@code allowedPrefixes} are refused.
     */
    static <S extends Record> S read(ParseResult parsed, DefenseKind<S> kind, S base, boolean shorthands) {
        S settings = base;
        String presetOption = option(kind, PRESET);
        if (parsed.hasMatchedOption(presetOption)) {
            settings = kind.preset(parsed.matchedOptionValue(presetOption, ""));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (SettingsRecord.Field f : SettingsRecord.fields(settings)) {
            String name = option(kind, f.name());
            if (parsed.hasMatchedOption(name)) {
                values.put(f.name(), parse(name, parsed.matchedOptionValue(name, ""), f.type()));
            }
        }
        if (shorthands) {
            for (String shorthand : List.of("rounds", "epochs", "lr")) {
                if (!parsed.hasMatchedOption("--" + shorthand)) {
                    continue;
                }
                String setting = kind.shorthands().get(shorthand);
                if (setting == null) {
                    throw new IllegalArgumentException("--" + shorthand + " does not apply to " + kind.name()
                            + "; it takes " + kind.shorthands().keySet().stream().sorted().map(s -> "--" + s)
                            .toList() + " (or the --" + kind.optionPrefix() + "-* options)");
                }
                Class<?> type = SettingsRecord.fields(settings).stream().filter(f -> f.name().equals(setting))
                        .findFirst().orElseThrow().type();
                values.put(setting, parse("--" + shorthand, parsed.matchedOptionValue("--" + shorthand, ""), type));
            }
        }
        return SettingsRecord.with(settings, values);
    }

    /** Refuses any option of a defense whose prefix is not among {@code allowedPrefixes}, naming the defense. */
    static void refuseOthers(ParseResult parsed, Set<String> allowedPrefixes, String chosen) {
        for (Map.Entry<String, List<DefenseKind<?>>> e : byPrefix().entrySet()) {
            if (allowedPrefixes.contains(e.getKey())) {
                continue;
            }
            for (OptionSpec o : parsed.matchedOptions()) {
                if (o.longestName().startsWith("--" + e.getKey() + "-")) {
                    throw new IllegalArgumentException(o.longestName() + " is an option of "
                            + e.getValue().stream().map(DefenseKind::name).toList() + ", not of " + chosen);
                }
            }
        }
    }

    private static Object parse(String option, String text, Class<?> type) {
        try {
            if (type == int.class) {
                return Integer.parseInt(text.strip());
            }
            if (type == long.class) {
                return Long.parseLong(text.strip());
            }
            if (type == double.class) {
                double v = Double.parseDouble(text.strip());
                if (!Double.isFinite(v)) {
                    throw new NumberFormatException();
                }
                return v;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a finite "
                    + (type == double.class ? "number" : "whole number"));
        }
        if (type == boolean.class) {
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(option + ": '" + text + "' is not true or false");
            }
            return Boolean.parseBoolean(text);
        }
        if (type.isEnum()) {
            try {
                return enumValue(type, text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException(option + ": settings of type " + type + " have no parser");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String text) {
        return SettingsRecord.parseEnum((Class) type, text);
    }

    private static List<String> enumNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object c : type.getEnumConstants()) {
            names.add(SettingsRecord.spell((Enum<?>) c));
        }
        return names;
    }

    static String option(DefenseKind<?> kind, String setting) {
        return "--" + kind.optionPrefix() + "-" + setting.toLowerCase(Locale.ROOT);
    }

    /** The defenses grouped by option prefix, in registry order. */
    private static Map<String, List<DefenseKind<?>>> byPrefix() {
        Map<String, List<DefenseKind<?>>> m = new LinkedHashMap<>();
        for (DefenseKind<?> k : Defenses.all()) {
            m.computeIfAbsent(k.optionPrefix(), p -> new ArrayList<>()).add(k);
        }
        return m;
    }
}
