package antidote.cli;

import antidote.data.source.DataSources;
import antidote.defense.Defense;
import antidote.pipeline.DataSpec;
import antidote.pipeline.DefendRun;
import antidote.pipeline.DefenseKind;
import antidote.pipeline.DefenseOutcome;
import antidote.pipeline.DefenseRun;
import antidote.pipeline.Defenses;
import antidote.pipeline.ModelFileInputs;
import antidote.report.OutputFolder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code antidote defend}: purifies a poisoned model, from a training run or from any PyTorch-style checkpoint. */
@Command(name = "defend", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Remove a backdoor with a defense; writes DIR/model.safetensors and DIR/report.json.",
                "Either --run DIR (a folder written by 'antidote train': the clean set is the first images of the "
                        + "test set's first half, metrics use the second half) or --model FILE --arch NAME --clean SPEC "
                        + "(any safetensors state dict with PyTorch names, and your own clean images).",
                "SPEC is NAME:SPLIT[FROM:TO] (e.g. cifar10:test[0:5000]) or folder:PATH (one sub-folder per class)."})
public final class DefendCommand implements Callable<Integer> {

    /** Where the model comes from. */
    static final class Source {
        @Option(names = "--run", description = "A folder written by 'antidote train'.")
        Path run;

        @Option(names = "--model", description = "A safetensors state dict with PyTorch names (from "
                + "safetensors.torch.save_file(model.state_dict(), FILE)), with or without Antidote's metadata.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "1", order = 0)
    Source source;

    @Option(names = "--arch", description = "The architecture of --model: small-vgg or preact-resnet18 "
            + "(BackdoorBench's).")
    String arch;

    @Option(names = "--clean", description = "The defender's clean images (with --model).")
    String clean;

    @Option(names = "--clean-samples", description = "Use a seeded subset of this many clean images (default: all of "
            + "--clean; with --run 5000, capped by half the test set).")
    Integer cleanSamples;

    @Option(names = "--eval", description = "Held-out images for ACC, never overlapping --clean (default: the rest of "
            + "--clean's split after its range, e.g. cifar10:test[5000:]).")
    String eval;

    @Option(names = "--attack", description = "A trigger Antidote knows, applied to the --eval images to measure ASR "
            + "and R-ACC, e.g. badnets:size=4,row=-5,col=-5,target=8.")
    String attack;

    @Option(names = "--triggered", description = "Triggered images (folder:PATH, in folders by their true class) for "
            + "ASR and R-ACC; needs --target.")
    String triggered;

    @Option(names = "--target", description = "The class the trigger of --triggered flips images to.")
    Integer target;

    @Option(names = "--input-shape", split = ",", description = "C,H,W of the model's input when the weights do not "
            + "fix it (default: the checkpoint's metadata, the weights, the clean data, else 32x32).")
    int[] inputShape;

    @Option(names = "--classes", description = "Number of classes (default: the classifier's rows).")
    Integer classes;

    @Option(names = "--normalize", description = "Per-channel MEAN/STD the model expects, e.g. "
            + "0.4914,0.4822,0.4465/0.247,0.243,0.261; perturbations stay in [0,1] pixel space (default: none, or "
            + "what the checkpoint's metadata records).")
    String normalize;

    @Option(names = "--defense", defaultValue = "ibau", completionCandidates = DefenseNames.class,
            description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String defense;

    @Option(names = "--seed", description = "Seeds the defense and the clean subset (default: each defense's own, 0).")
    Long seed;

    @Option(names = "--data-dir", description = "Where to look for named datasets first.")
    Path dataDir;

    @Option(names = "--out", required = true, description = "Output folder for the purified model and report.")
    Path out;

    @Spec
    CommandSpec spec;

    /** The registered defenses' names, for the help text. */
    static final class DefenseNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Defenses.names().iterator();
        }
    }

    /** The run folder's default clean-set size (the I-BAU reference code's 5000). */
    private static final int RUN_CLEAN_SAMPLES = 5000;

    @picocli.CommandLine.Mixin DeviceOption device;

    @Override
    public Integer call() throws Exception {
        device.select();
        DefenseKind<?> kind = Defenses.kind(defense);
        Defense chosen = settings(kind);
        OutputFolder.check(out, inputs());
        DefendRun.Inputs inputs = source.run != null ? fromRun() : fromModel();
        DefenseOutcome o = DefendRun.run(inputs, chosen, out, System.out);
        System.out.printf("%s: before %s%n%s: after  %s%s  in %.1f s%s; wrote %s%n", o.defense(),
                DefenseRun.describe(o.before()), o.defense(), DefenseRun.describe(o.after()),
                o.der() == null ? "" : String.format("  DER %.3f", o.der()), o.seconds(),
                o.timeToEffect() == null ? "" : String.format(" (ASR < 20%% after %.1f s)", o.timeToEffect()), out);
        return 0;
    }

    /** Every path this run reads, by the option that names it: --out may be none of them, nor hold or sit in one. */
    private Map<String, Path> inputs() {
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("--run", source.run);
        inputs.put("--model", source.model);
        for (String[] spec : new String[][] {{"--clean", clean}, {"--eval", eval}, {"--triggered", triggered}}) {
            if (spec[1] != null && spec[1].startsWith(DataSources.FOLDER_PREFIX)) {
                inputs.put(spec[0], DataSpec.parse(spec[1]).folder());
            }
        }
        return inputs;
    }

    private <S extends Record> Defense settings(DefenseKind<S> kind) {
        var parsed = spec.commandLine().getParseResult();
        DefenseSettingOptions.refuseOthers(parsed, Set.of(kind.optionPrefix()), kind.name());
        S s = DefenseSettingOptions.read(parsed, kind, kind.defaults(), true);
        if (seed != null && !parsed.hasMatchedOption(DefenseSettingOptions.option(kind, "seed"))) {
            s = kind.withSeed(s, seed);
        }
        return kind.create(s);
    }

    private DefendRun.Inputs fromRun() throws java.io.IOException {
        for (Object[] given : new Object[][] {{"--arch", arch}, {"--clean", clean}, {"--eval", eval},
                {"--attack", attack}, {"--triggered", triggered}, {"--target", target}, {"--input-shape", inputShape},
                {"--classes", classes}, {"--normalize", normalize}}) {
            if (given[1] != null) {
                throw new IllegalArgumentException(given[0] + " goes with --model; --run takes the model, data and "
                        + "attack from the training run (use --model RUN/model.safetensors to choose other images)");
            }
        }
        return DefendRun.fromRun(source.run, cleanSamples == null ? RUN_CLEAN_SAMPLES : cleanSamples, dataDir);
    }

    private DefendRun.Inputs fromModel() throws java.io.IOException {
        if (arch == null || clean == null) {
            throw new IllegalArgumentException("--model needs --arch (small-vgg or preact-resnet18) and --clean SPEC "
                    + "(e.g. folder:clean-images or cifar10:test[0:5000])");
        }
        ModelFileInputs request = new ModelFileInputs(source.model, arch,
                inputShape == null ? null : Arrays.copyOf(inputShape, inputShape.length), classes, normalize,
                DataSpec.parse(clean), cleanSamples, eval == null ? null : DataSpec.parse(eval),
                triggered == null ? null : DataSpec.parse(triggered), target, attack, dataDir, seed == null ? 0 : seed);
        return request.load(System.out);
    }
}
