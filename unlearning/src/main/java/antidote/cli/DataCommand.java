package antidote.cli;

import antidote.data.source.DataSources;
import antidote.data.source.SearchPath;
import antidote.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code antidote data}: finds a dataset and prints its summary as JSON. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Print a JSON summary of a dataset: counts per split, shape, classes, class counts, pixel mean/std.")
public final class DataCommand implements Callable<Integer> {

    @Option(names = "--dataset", required = true,
            description = "fashion-mnist, mnist, cifar10, cifar100, gtsrb or folder:PATH")
    String dataset;

    @Option(names = "--data-dir", description = "Where to look first (then $ANTIDOTE_DATA, then the standard places).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        var source = DataSources.open(dataset, SearchPath.standard(dataDir));
        var summary = new java.util.LinkedHashMap<String, Object>(source.summary().toMap());
        summary.put("location", source.location().toString());
        System.out.println(Json.pretty(summary));
        return 0;
    }
}
