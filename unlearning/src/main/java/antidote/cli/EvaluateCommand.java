package antidote.cli;

import antidote.metric.Metrics;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.nn.io.ModelInfo;
import antidote.pipeline.ModelFileInputs;
import antidote.pipeline.RunAttack;
import antidote.pipeline.TrainRun;
import antidote.poison.Evaluation;
import antidote.poison.Experiment;
import antidote.poison.Models;
import antidote.poison.Poisoning;
import antidote.poison.TrainConfig;
import antidote.data.source.DataSources;
import antidote.data.source.SearchPath;
import antidote.report.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code antidote evaluate}: ACC, ASR and R-ACC of a model as JSON. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Print ACC, ASR and R-ACC of a model on the full test set as JSON.")
public final class EvaluateCommand implements Callable<Integer> {

    /** Either a run folder, or a model file with the data and attack options. */
    static final class Source {
        @Option(names = "--run", description = "A folder written by 'antidote train' or 'antidote defend'.")
        Path run;

        @Option(names = "--model-file", description = "A checkpoint; give the data and attack with the options below.")
        Path modelFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin
    TrainOptions options = new TrainOptions();

    @Mixin DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        device.select();
        if (source.run != null) {
            refuseModelOptions();
        }
        Path modelFile = source.run != null ? source.run.resolve(TrainRun.MODEL) : source.modelFile;
        TrainConfig config = source.run != null ? configOf(source.run) : options.config();
        ModelInfo info = Checkpoint.readInfo(modelFile);
        int channels = info.inputShape().get(0);
        Module network = Models.create(info.model(), channels, info.inputShape().get(1), info.inputShape().get(2),
                info.classes(), Models.infer(info.model(), Checkpoint.shapes(modelFile)).finalNorm(), 0);
        Checkpoint.load(modelFile, network);
        // A model purified with --normalize records it; the defense's input path is the model's input path.
        Module model = ModelFileInputs.withNormalization(network,
                ModelFileInputs.recordedNormalization(Checkpoint.metadata(modelFile), channels));
        var data = DataSources.open(config.dataset(), SearchPath.standard(options.dataDir));
        var test = data.load("test");
        Metrics m = Evaluation.evaluate(model, test, Poisoning.triggerTest(test, source.run != null ? RunAttack.of(source.run, config)
                : Experiment.attack(config)));
        var out = new LinkedHashMap<String, Object>();
        out.put("model", modelFile.toString());
        out.put("dataset", config.dataset());
        out.put("attack", config.attack());
        out.put("test_samples", test.size());
        out.put("acc", m.acc());
        out.put("asr", m.asr());
        out.put("racc", m.racc());
        System.out.println(Json.pretty(out));
        return 0;
    }

    /**
     * With --run the data, attack and training settings come from its report, so the options that would describe
     * them are refused rather than ignored (--data-dir still says where the dataset is).
     */
    private void refuseModelOptions() {
        List<String> given = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(OptionSpec::longestName)
                .filter(name -> !name.equals("--run") && !name.equals("--data-dir"))
                .toList();
        if (!given.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", given) + " cannot be combined with --run: the run's "
                    + "report fixes the dataset and attack; leave them out, or use --model-file with them");
        }
    }

    /** A defend run's report names its training config under "train_config"; a train run's under "config". */
    private static TrainConfig configOf(Path run) throws java.io.IOException {
        Path report = run.resolve(TrainRun.REPORT);
        var tree = Json.read(report, com.google.gson.JsonObject.class);
        return TrainRun.configIn(report, tree, tree.has("config") ? "config" : "train_config");
    }
}
