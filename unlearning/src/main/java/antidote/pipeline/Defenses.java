package antidote.pipeline;

import antidote.defense.deepinspect.DeepInspect;
import antidote.defense.fp.FinePruning;
import antidote.defense.ft.FineTuning;
import antidote.defense.ibau.Ibau;
import antidote.defense.ibau.IbauSettings;
import antidote.defense.nad.Nad;
import antidote.defense.nc.NeuralCleanse;
import antidote.defense.sau.Sau;
import antidote.defense.tabor.Tabor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The defenses by command-line name: the one list that {@code defend}, {@code reproduce} and their options read. */
public final class Defenses {
    /** The name of I-BAU's preset for semantic replacement ({@link IbauSettings#semanticReplacement()}). */
    public static final String IBAU_SR_PRESET = "semantic-replacement";
    /**
     * DP-SGD, the reproduction's column that trains the poisoned data again with {@code train --dp}: a training mode,
     * not a defense of a trained model, so it has no {@link DefenseKind} and {@link #kind} refuses it.
     */
    public static final String DP = "dp";
    private static final Map<String, IbauSettings> IBAU_PRESETS = ibauPresets();
    private static final Map<String, String> ROUNDS = Map.of("rounds", "rounds", "lr", "outer-lr");
    private static final Map<String, String> EPOCHS = Map.of("epochs", "epochs", "lr", "lr");

    private static final List<DefenseKind<?>> ALL = List.of(
            new DefenseKind<>("ibau", "I-BAU", "ibau", IBAU_PRESETS, ROUNDS, Ibau::new),
            new DefenseKind<>("naive-uap", "naive UAP unlearning", "ibau", IBAU_PRESETS, ROUNDS, Ibau::naive),
            new DefenseKind<>("sau", "SAU", "sau", Map.of("backdoorbench", Sau.Settings.BACKDOORBENCH), EPOCHS, Sau::new),
            new DefenseKind<>("ft", "fine-tuning", "ft", Map.of("default", FineTuning.Settings.DEFAULT), EPOCHS,
                    FineTuning::new),
            new DefenseKind<>("nc", "Neural Cleanse", "nc", presets("default", NeuralCleanse.Settings.DEFAULT,
                    "reference-code", NeuralCleanse.Settings.REFERENCE), EPOCHS, NeuralCleanse::new),
            new DefenseKind<>("tabor", "TABOR", "tabor", Map.of("default", Tabor.Settings.DEFAULT), EPOCHS, Tabor::new),
            new DefenseKind<>("deepinspect", "DeepInspect", "di", Map.of("default", DeepInspect.Settings.DEFAULT), EPOCHS,
                    DeepInspect::new),
            new DefenseKind<>("fp", "Fine-Pruning", "fp", presets("paper", FinePruning.Settings.PAPER, "original",
                    FinePruning.Settings.ORIGINAL), EPOCHS, FinePruning::new),
            new DefenseKind<>("nad", "NAD", "nad", Map.of("paper", Nad.Settings.PAPER), EPOCHS, Nad::new));

    private Defenses() {
    }

    public static List<DefenseKind<?>> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(DefenseKind::name).toList();
    }

    /** The defense called {@code name}, or a one-line error listing the known ones. */
    public static DefenseKind<?> kind(String name) {
        if (name.equals(DP)) {
            throw new IllegalArgumentException("dp (DP-SGD) is a training mode, not a defense of a trained model: "
                    + "train on the poisoned data with 'antidote train --dp', or compare it with 'antidote reproduce "
                    + "--defenses dp'");
        }
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown defense '" + name + "'; choose one of " + names()));
    }

    /**
     * I-BAU's presets, the default first: {@code projected}, measured at least as good as the reference code on every
     * model tried and far less dependent on the clean images' order (see {@link IbauSettings#projected()}).
     */
    private static Map<String, IbauSettings> ibauPresets() {
        Map<String, IbauSettings> m = presets("projected", IbauSettings.projected(), "reference-code",
                IbauSettings.referenceCode());
        m.put("paper", IbauSettings.paper());
        m.put(IBAU_SR_PRESET, IbauSettings.semanticReplacement());
        return m;
    }

    private static <S> Map<String, S> presets(String firstName, S first, String secondName, S second) {
        Map<String, S> m = new LinkedHashMap<>();
        m.put(firstName, first);
        m.put(secondName, second);
        return m;
    }
}
