package antidote.cli;

import antidote.defense.SettingsRecord;
import antidote.pipeline.DefenseKind;
import antidote.pipeline.Defenses;
import antidote.repro.CellResult;
import antidote.repro.Plan;
import antidote.repro.Reproduction;
import antidote.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code antidote reproduce}: the bundled reproduction of the papers' tables and plots. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = "Train poisoned models, defend them, and write paper-style tables (Markdown, CSV, JSON) and PNG "
                + "plots to results/<timestamp>/. With no options: the default grid on Fashion-MNIST (see README).")
public final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "default", description = "default, full or paper (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--datasets", split = ",", description = "Override the preset's datasets.")
    List<String> datasets;

    @Option(names = "--model", description = "Override the preset's model: small-vgg or preact-resnet18.")
    String model;

    @Option(names = "--attacks", split = ",", description = "Override the preset's attacks; each NAME[:KEY=VALUE]... "
            + "with the options of 'train --attack-option' (e.g. wanet:strength=1).")
    List<String> attacks;

    @Option(names = "--defenses", split = ",", completionCandidates = DefenseNames.class,
            description = "Override the preset's defenses: any of ${COMPLETION-CANDIDATES} (dp: the poisoned data "
                    + "trained again with DP-SGD, as 'train --dp').")
    List<String> defenses;

    @Option(names = "--clean-samples", split = ",", description = "Clean-set sizes (the paper's Table 5: 100,500,2500,5000).")
    List<Integer> cleanSamples;

    @Option(names = "--poison-rates", split = ",", description = "Poison rates (the paper's Table 4).")
    List<Double> poisonRates;

    @Option(names = "--seeds", split = ",", description = "Seeds of the poisoned models.")
    List<Long> seeds;

    @Option(names = "--epochs", description = "Training epochs of each poisoned model.")
    Integer epochs;

    @Option(names = "--train-samples", description = "Training images per poisoned model (0: all).")
    Integer trainSamples;

    @Option(names = "--rounds", description = "I-BAU and naive-UAP rounds (short for --ibau-rounds).")
    Integer rounds;

    @Option(names = "--stability-seeds", description = "Seeds of the Figure 1 stability comparison (0: skip).")
    Integer stabilitySeeds;

    @Option(names = "--data-dir", description = "Where to look for datasets first.")
    Path dataDir;

    @Option(names = "--cache", defaultValue = "runs/cache", description = "Trained poisoned models are cached here by "
            + "configuration (default: ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--out", description = "Output folder (default: results/<timestamp>).")
    Path out;

    @Option(names = "--list", description = "Print the grid's cells as JSON lines (hash, what it runs, whether the "
            + "cache has it) and exit.")
    boolean list;

    @Option(names = "--cell", description = "Compute only the cell with this hash into the cache (see --list), e.g. "
            + "one task of a SLURM array or a Kubernetes indexed Job; a later plain 'reproduce' assembles the tables.")
    String cell;

    @Spec
    CommandSpec spec;

    /** The names a grid's defenses may hold, for the help text. */
    static final class DefenseNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Plan.defenseNames().iterator();
        }
    }

    @picocli.CommandLine.Mixin DeviceOption device;

    @Override
    public Integer call() throws Exception {
        device.select();
        Plan p = Plan.preset(preset);
        Plan plan = new Plan(or(datasets, p.datasets()), or(model, p.model()), or(joinOptions(attacks), p.attacks()),
                or(poisonRates, p.poisonRates()), or(seeds, p.seeds()), or(epochs, p.epochs()),
                or(trainSamples, p.trainSamples()), or(defenses, p.defenses()), or(cleanSamples, p.cleanSamples()),
                p.settings(), or(stabilitySeeds, p.stabilitySeeds()), p.sensitivity());
        plan = plan.withSettings(settings(plan));
        Path target = out != null ? out
                : Path.of("results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Reproduction reproduction = new Reproduction(plan, dataDir, cache, target, System.out);
        if (list && cell != null) {
            throw new IllegalArgumentException("give --list or --cell, not both");
        }
        if (list) {
            reproduction.list(System.out);
        } else if (cell != null) {
            CellResult r = reproduction.runCell(cell);
            System.out.println(Json.compact(r.row()));
        } else {
            reproduction.run();
        }
        return 0;
    }

    /** Every defense's settings: the preset's, with the options given on the command line. */
    private Map<String, Record> settings(Plan plan) {
        ParseResult parsed = spec.commandLine().getParseResult();
        Map<String, Record> out = new LinkedHashMap<>();
        for (DefenseKind<?> kind : Defenses.all()) {
            out.putIfAbsent(kind.optionPrefix(), read(parsed, kind, plan.settingsOf(kind)));
        }
        return out;
    }

    private <S extends Record> S read(ParseResult parsed, DefenseKind<S> kind, Record base) {
        S s = DefenseSettingOptions.read(parsed, kind, kind.settingsType().cast(base), false);
        return rounds != null && kind.optionPrefix().equals("ibau") ? SettingsRecord.with(s, "rounds", rounds) : s;
    }

    /**
     * Rejoins attack options that the comma split cut off: in {@code --attacks badnets:size=4,row=2,wanet} the piece
     * {@code row=2} is an option of badnets, not an attack.
     */
    static List<String> joinOptions(List<String> pieces) {
        if (pieces == null) {
            return null;
        }
        List<String> attacks = new ArrayList<>();
        for (String piece : pieces) {
            if (piece.contains("=") && !piece.contains(":") && !attacks.isEmpty()) {
                attacks.set(attacks.size() - 1, attacks.get(attacks.size() - 1) + "," + piece);
            } else {
                attacks.add(piece);
            }
        }
        return attacks;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
