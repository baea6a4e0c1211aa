package antidote.cli;

import antidote.metric.Metrics;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.nn.io.ModelInfo;
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
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    @Override
    public Integer call() throws Exception {
        device.select();
        Path modelFile = source.run != null ? source.run.resolve(TrainRun.MODEL) : source.modelFile;
        TrainConfig config = source.run != null ? configOf(source.run) : options.config();
        ModelInfo info = Checkpoint.readInfo(modelFile);
        Module model = Models.create(info.model(), info.inputShape().get(0), info.inputShape().get(1),
                info.inputShape().get(2), info.classes(), 0);
        Checkpoint.load(modelFile, model);
        var data = DataSources.open(config.dataset(), SearchPath.standard(options.dataDir));
        var test = data.load("test");
        Metrics m = Evaluation.evaluate(model, test, Poisoning.triggerTest(test, Experiment.attack(config)));
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

    /** A defend run's report names its training config under "train_config"; a train run's under "config". */
    private static TrainConfig configOf(Path run) throws java.io.IOException {
        var tree = Json.read(run.resolve(TrainRun.REPORT), com.google.gson.JsonObject.class);
        var config = tree.has("config") ? tree.get("config") : tree.get("train_config");
        return new com.google.gson.Gson().fromJson(config, TrainConfig.class);
    }
}
