package antidote.repro;

import antidote.attack.AttackSpec;
import antidote.defense.SettingsRecord;
import antidote.defense.fp.FinePruning;
import antidote.pipeline.DefenseKind;
import antidote.pipeline.Defenses;
import antidote.poison.Experiment;
import antidote.poison.PoisonedModelTrainer;
import antidote.poison.TrainConfig;
import antidote.privacy.DpSettings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The grid a reproduction runs ({@code attacks} are {@link antidote.attack.AttackSpec}s, a name with optional
 * options): datasets × attacks × poison rates × seeds give the poisoned models; each is defended by every defense
 * with every clean-set size. {@code settings} holds each defense's settings record by option prefix (I-BAU and
 * naive UAP share "ibau"), and under "dp" the {@link DpSettings} of the dp column, which trains the poisoned data
 * again with DP-SGD instead of defending the model; a defense missing from it runs with its defaults.
 * {@code stabilitySeeds} extra seeds of I-BAU and the naive baseline on the first model give the Figure 1 comparison,
 * and {@code sensitivity} the cells of the paper's Tables 4 and 5 on one attack.
 */
public record Plan(List<String> datasets, String model, List<String> attacks, List<Double> poisonRates,
                   List<Long> seeds, int epochs, int trainSamples, List<String> defenses, List<Integer> cleanSamples,
                   Map<String, Record> settings, int stabilitySeeds, Sensitivity sensitivity) {

    /**
     * The paper's sensitivity study (Tables 4 and 5) on one attack of the first dataset and the first seed: its model
     * at more poison rates, defended with the largest clean set, and its model at the first poison rate defended with
     * more clean-set sizes (no dp cells there: DP-SGD uses no clean set). Nothing when the plan lacks the attack.
     */
    public record Sensitivity(String attack, List<Double> poisonRates, List<Integer> cleanSamples) {
        /** No sensitivity cells. */
        public static final Sensitivity NONE = new Sensitivity("", List.of(), List.of());
        /** The paper's: Trojan WM at 5% and 0.5% (Table 4), and with 2,500, 500 and 100 clean images (Table 5). */
        public static final Sensitivity PAPER = new Sensitivity("trojan-wm", List.of(0.05, 0.005),
                List.of(2500, 500, 100));

        public Sensitivity {
            poisonRates = List.copyOf(poisonRates);
            cleanSamples = List.copyOf(cleanSamples);
        }
    }

    /** The defenses of the paper's Figure 1 stability comparison. */
    public static final List<String> STABILITY_DEFENSES = List.of("ibau", "naive-uap");
    /** Every defense of the paper's comparison that works on a clean set. */
    static final List<String> COMPARED_DEFENSES = List.of("ibau", "sau", "ft", "nc", "tabor", "deepinspect", "fp",
            "nad");
    /** The compared defenses, DP-SGD training, and the naive-UAP baseline of the paper's Figure 1. */
    static final List<String> ALL_DEFENSES = Stream.concat(COMPARED_DEFENSES.stream(),
            Stream.of(Defenses.DP, "naive-uap")).toList();
    /** The default grid's trigger-search budget per class: epochs, and clean images per epoch. */
    static final int SEARCH_EPOCHS = 10;
    static final int SEARCH_IMAGES = 160;
    /** The default grid's DeepInspect generator updates. */
    static final int GENERATOR_STEPS = 100;
    /** The default grid's Fine-Pruning held-out images (of its 1,000 clean images). */
    static final int PRUNING_HELD_OUT = 250;
    /** The paper's Fine-Pruning held-out share of the clean set: 1,000 of 5,000 images. */
    static final int FP_HELD_OUT_SHARE = 5;

    public Plan {
        settings = Map.copyOf(settings);
    }

    /** A plan without sensitivity cells. */
    public Plan(List<String> datasets, String model, List<String> attacks, List<Double> poisonRates, List<Long> seeds,
                int epochs, int trainSamples, List<String> defenses, List<Integer> cleanSamples,
                Map<String, Record> settings, int stabilitySeeds) {
        this(datasets, model, attacks, poisonRates, seeds, epochs, trainSamples, defenses, cleanSamples, settings,
                stabilitySeeds, Sensitivity.NONE);
    }

    /**
     * The default: Fashion-MNIST, SmallVgg, badnets/blend/wanet, defended by every defense of the paper's comparison
     * that works on a clean set (I-BAU, SAU, fine-tuning, Neural Cleanse, TABOR, DeepInspect, Fine-Pruning, NAD),
     * sized to finish within 15 minutes on a 2-core CPU from an empty cache (see the README for what it covers and
     * what it measured). The budgets are cut to fit and printed in the tables' settings:
     * <ul>
     * <li>SAU gets one epoch (4 steps on 1,000 images) instead of BackdoorBench's 100, so its learning rate is
     * raised from 1e-4 to 1e-3: at 1e-4 it leaves a BadNets model untouched in that budget.</li>
     * <li>WaNet warps with strength 1 instead of 0.5: at 0.5 SmallVgg needs about 450 steps to learn it (ASR 17%
     * after 94 steps, 92% after 469), at 1 it reaches ASR 92% in the default's 94 steps.</li>
     * <li>The trigger searches (NC, TABOR) run {@value #SEARCH_EPOCHS} epochs of {@value #SEARCH_IMAGES} images per
     * class instead of up to 60, DeepInspect {@value #GENERATOR_STEPS} generator updates instead of 300.</li>
     * <li>Fine-Pruning holds out {@value #PRUNING_HELD_OUT} of the 1,000 clean images (the paper: 1,000 of 5,000)
     * and fine-tunes 2 epochs; NAD trains teacher and student 2 epochs each at learning rate 0.01 (NAD: 20 + 20 at
     * 0.1, which costs SmallVgg 13-20 points of ACC on a 1,000-image set).</li>
     * </ul>
     */
    public static Plan defaults() {
        Map<String, Record> settings = settings(1, Map.of("epochs", 1, "lr", 1e-3), Map.of("epochs", 2));
        Map<String, Object> search = Map.of("max-epochs", SEARCH_EPOCHS, "samples-per-epoch", SEARCH_IMAGES);
        settings.put("nc", SettingsRecord.with(Defenses.kind("nc").defaults(), search));
        settings.put("tabor", SettingsRecord.with(Defenses.kind("tabor").defaults(), search));
        settings.put("di", SettingsRecord.with(Defenses.kind("deepinspect").defaults(), "generator-steps",
                GENERATOR_STEPS));
        settings.put("fp", SettingsRecord.with(Defenses.kind("fp").defaults(),
                Map.of("held-out", PRUNING_HELD_OUT, "epochs", 2)));
        settings.put("nad", SettingsRecord.with(Defenses.kind("nad").defaults(),
                Map.of("teacher-epochs", 2, "epochs", 2, "lr", 0.01, "lr-drop-epoch", 2)));
        return new Plan(List.of("fashion-mnist"), "small-vgg", List.of("badnets", "blend", "wanet:strength=1"),
                List.of(0.1), List.of(0L), 2, 6000, COMPARED_DEFENSES, List.of(1000), settings, 0);
    }

    /**
     * The default's dataset and model with every attack (adding trojan-wm, sig, all-to-all, multi-trigger, sr, ht
     * and iab), full training, 5,000 clean images, every defense at its own defaults plus naive UAP, the paper's
     * sensitivity study and the Figure 1 seeds.
     */
    public static Plan full() {
        Plan d = defaults();
        return new Plan(d.datasets(), d.model(), List.of("badnets", "blend", "wanet", "trojan-wm", "sig",
                "all-to-all", "multi-trigger", "sr", "ht", "iab"), d.poisonRates(), d.seeds(), 5, 0,
                ALL_DEFENSES, List.of(5000), settings(5, Map.of("epochs", 20), Map.of("epochs", 5)), 5,
                Sensitivity.PAPER);
    }

    /**
     * The paper's protocol (section 6 and appendix A.4.1) on CIFAR-10 and GTSRB (their files must be present):
     * PreActResNet-18 trained 50 epochs on the whole training set poisoned at 20%, 5,000 clean images, every attack
     * of its tables, the sensitivity study on Trojan WM (Tables 4 and 5), and DP-SGD's noise multiplier of each
     * dataset ({@link DpSettings#paper}).
     */
    public static Plan paper() {
        List<String> datasets = List.of("cifar10", "gtsrb");
        Map<String, Record> settings = settings(5, Map.of(), Map.of("epochs", 10));
        datasets.forEach(d -> settings.put(perRow(Defenses.DP, d), DpSettings.paper(d)));
        return new Plan(datasets, "preact-resnet18", List.of("badnets", "blend", "trojan-sq", "trojan-wm", "l0", "l2",
                "sig", "smooth", "wanet", "all-to-all", "multi-trigger"), List.of(0.2), List.of(0L), 50, 0,
                ALL_DEFENSES, List.of(5000), settings, 5, Sensitivity.PAPER);
    }

    public static Plan preset(String name) {
        return switch (name) {
            case "default" -> defaults();
            case "full" -> full();
            case "paper" -> paper();
            default -> throw new IllegalArgumentException("unknown preset '" + name + "'; choose default, full or paper");
        };
    }

    /** Every name a plan's defenses may hold: the registered defenses and {@value Defenses#DP}. */
    public static List<String> defenseNames() {
        return Stream.concat(Defenses.names().stream(), Stream.of(Defenses.DP)).toList();
    }

    /**
     * The DP-SGD settings of the dp column on {@code dataset}'s rows: this plan's entry for that dataset ("dp@cifar10",
     * the paper preset's per-dataset noise), else its own, else {@link DpSettings#DEFAULT}.
     */
    public DpSettings dpSettings(String dataset) {
        Record own = settings.get(perRow(Defenses.DP, dataset));
        return (DpSettings) (own != null ? own : settings.getOrDefault(Defenses.DP, DpSettings.DEFAULT));
    }

    /** The settings {@code defense} runs with in this plan. */
    public Record settingsOf(DefenseKind<?> defense) {
        return settings.getOrDefault(defense.optionPrefix(), defense.defaults());
    }

    /**
     * The settings {@code defense} runs with on the rows of {@code attack}: an entry for that attack
     * ("ibau@sr", see {@link #perRow}) before the plan's own.
     */
    public Record settingsOf(DefenseKind<?> defense, String attack) {
        Record own = settings.get(perRow(defense.optionPrefix(), AttackSpec.parse(attack).name()));
        return own != null ? own : settingsOf(defense);
    }

    /**
     * The settings key of a defense's settings for the rows of one attack or one dataset (their names never
     * coincide). The presets give I-BAU the paper's setting for semantic replacement (appendix A.5.1,
     * {@link Defenses#IBAU_SR_PRESET}) on the sr rows, and the paper preset DP-SGD its noise per dataset.
     */
    static String perRow(String prefix, String row) {
        return prefix + "@" + row;
    }

    /** The poisoned model of one grid point. */
    public TrainConfig trainConfig(String dataset, String attack, double rate, long seed) {
        AttackSpec spec = AttackSpec.parse(attack);
        return new TrainConfig(dataset, model, spec.name(), spec.options(), rate, epochs, trainSamples, seed);
    }

    /**
     * Every defended model of the grid: datasets × attacks × rates × seeds × clean sizes × defenses, in that order,
     * then the {@link Sensitivity} cells; the dp column has no cell for an attack that DP-SGD cannot train
     * ({@link PoisonedModelTrainer#dpRefusal}).
     */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (String dataset : datasets) {
            for (String attack : attacks) {
                for (double rate : poisonRates) {
                    for (long seed : seeds) {
                        TrainConfig config = trainConfig(dataset, attack, rate, seed);
                        for (int clean : cleanSamples) {
                            addDefenses(cells, config, attack, clean, seed, true);
                        }
                    }
                }
            }
        }
        String attack = sensitivity.attack();
        if (attacks.contains(attack)) {
            long seed = seeds.get(0);
            for (double rate : sensitivity.poisonRates()) {
                if (!poisonRates.contains(rate)) {
                    addDefenses(cells, trainConfig(datasets.get(0), attack, rate, seed), attack,
                            Collections.max(cleanSamples), seed, true);
                }
            }
            for (int clean : sensitivity.cleanSamples()) {
                if (!cleanSamples.contains(clean)) {
                    addDefenses(cells, trainConfig(datasets.get(0), attack, poisonRates.get(0), seed), attack, clean,
                            seed, false);
                }
            }
        }
        return cells;
    }

    /** One cell per defense of the plan on this model and clean set (dp only when asked for and DP-SGD trains it). */
    private void addDefenses(List<Cell> cells, TrainConfig config, String attack, int clean, long seed,
                             boolean withDp) {
        boolean dpTrains = withDp && defenses.contains(Defenses.DP)
                && PoisonedModelTrainer.dpRefusal(Experiment.attack(config)) == null;
        for (String defense : defenses) {
            if (!defense.equals(Defenses.DP) || dpTrains) {
                cells.add(cell(config, attack, defense, clean, seed));
            }
        }
    }

    /** Every poison rate a cell of the grid trains at: the plan's, then the sensitivity study's. */
    public List<Double> allPoisonRates() {
        List<Double> more = attacks.contains(sensitivity.attack()) ? sensitivity.poisonRates() : List.of();
        return Stream.concat(poisonRates.stream(), more.stream()).distinct().toList();
    }

    /** Every clean-set size a cell of the grid uses: the plan's, then the sensitivity study's. */
    public List<Integer> allCleanSamples() {
        List<Integer> more = attacks.contains(sensitivity.attack()) ? sensitivity.cleanSamples() : List.of();
        return Stream.concat(cleanSamples.stream(), more.stream()).distinct().toList();
    }

    /** The Figure 1 runs: I-BAU and the naive baseline with each stability seed, on the first model and clean size. */
    public List<Cell> stabilityCells() {
        List<Cell> cells = new ArrayList<>();
        TrainConfig first = trainConfig(datasets.get(0), attacks.get(0), poisonRates.get(0), seeds.get(0));
        for (int s = 0; s < stabilitySeeds; s++) {
            for (String defense : STABILITY_DEFENSES) {
                cells.add(cell(first, attacks.get(0), defense, cleanSamples.get(0), s));
            }
        }
        return cells;
    }

    private Cell cell(TrainConfig config, String attack, String defense, int clean, long seed) {
        if (defense.equals(Defenses.DP)) {
            // The DP model is seeded by the row's training config, which the cell holds.
            return new Cell(config, attack, defense, dpSettings(config.dataset()), clean);
        }
        DefenseKind<?> kind = Defenses.kind(defense);
        return new Cell(config, attack, defense, seeded(kind, fitted(settingsOf(kind, attack), clean), seed), clean);
    }

    /**
     * {@code settings} made to fit a clean set of {@code clean} images. Fine-Pruning must leave images to fine-tune
     * on besides those it holds out: where the clean set is no larger than its held-out count (the paper holds out
     * 1,000 of 5,000; Table 5 goes down to 100 clean images), the cell holds out the paper's share, a fifth.
     */
    static Record fitted(Record settings, int clean) {
        if (settings instanceof FinePruning.Settings fp && fp.heldOut() >= clean) {
            return SettingsRecord.with(fp, "held-out", Math.max(1, clean / FP_HELD_OUT_SHARE));
        }
        return settings;
    }

    private static <S extends Record> S seeded(DefenseKind<S> kind, Record settings, long seed) {
        return kind.withSeed(kind.settingsType().cast(settings), seed);
    }

    /**
     * This plan with other settings for the defenses of {@code settings}' prefixes. Settings that differ from the
     * plan's apply to every row: they replace that defense's per-attack entries too.
     */
    public Plan withSettings(Map<String, Record> more) {
        Map<String, Record> all = new LinkedHashMap<>(settings);
        more.forEach((prefix, record) -> {
            if (!record.equals(settingsOf(prefix))) {
                all.keySet().removeIf(key -> key.startsWith(perRow(prefix, "")));
            }
        });
        all.putAll(more);
        return new Plan(datasets, model, attacks, poisonRates, seeds, epochs, trainSamples, defenses, cleanSamples, all,
                stabilitySeeds, sensitivity);
    }

    /** The plan's settings for the defenses with option prefix {@code prefix} (I-BAU and naive UAP share one). */
    private Record settingsOf(String prefix) {
        return Defenses.all().stream().filter(k -> k.optionPrefix().equals(prefix)).findFirst().map(this::settingsOf)
                .orElse(null);
    }

    /** I-BAU's rounds, and SAU's and fine-tuning's changes from their defaults; I-BAU's setting for sr's rows. */
    private static Map<String, Record> settings(int ibauRounds, Map<String, Object> sau, Map<String, Object> ft) {
        Map<String, Record> m = new LinkedHashMap<>();
        m.put("ibau", SettingsRecord.with(Defenses.kind("ibau").defaults(), "rounds", ibauRounds));
        m.put(perRow("ibau", "sr"), Defenses.kind("ibau").presets().get(Defenses.IBAU_SR_PRESET));
        m.put("sau", SettingsRecord.with(Defenses.kind("sau").defaults(), sau));
        m.put("ft", SettingsRecord.with(Defenses.kind("ft").defaults(), ft));
        return m;
    }
}
