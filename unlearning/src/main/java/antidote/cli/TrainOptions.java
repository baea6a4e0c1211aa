package antidote.cli;

import antidote.poison.TrainConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The options that describe a poisoned model, shared by {@code train} and {@code evaluate}. */
public final class TrainOptions {
    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "Dataset name (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--model", defaultValue = "small-vgg",
            description = "small-vgg or preact-resnet18 (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--attack", defaultValue = "badnets",
            description = "badnets, blend, trojan-sq, trojan-wm, l0, l2, smooth, sig, wanet, all-to-all, multi-trigger, "
                    + "sr, ht, iab (default: ${DEFAULT-VALUE}).")
    String attack;

    @Option(names = "--target", description = "Target class of the attack (default: the attack's own, as in the paper).")
    Integer target;

    @Option(names = "--attack-option", description = "Extra attack option KEY=VALUE, repeatable (e.g. size=4, "
            + "pattern=trigger.png).")
    Map<String, String> attackOptions = new LinkedHashMap<>();

    @Option(names = "--poison-rate", defaultValue = "0.1", description = "Share of training images poisoned; "
            + "for iab, the share of each batch given its trigger (default: ${DEFAULT-VALUE}).")
    double poisonRate;

    @Option(names = "--epochs", defaultValue = "5", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--train-samples", defaultValue = "0", description = "Train on a seeded random subset of this "
            + "many images; 0 uses all (default: ${DEFAULT-VALUE}).")
    int trainSamples;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the data choice, the trigger and the "
            + "initialisation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", description = "Where to look for the dataset first.")
    Path dataDir;

    TrainConfig config() {
        Map<String, String> options = new LinkedHashMap<>(attackOptions);
        if (target != null) {
            options.put("target", target.toString());
        }
        return new TrainConfig(dataset, model, attack, options, poisonRate, epochs, trainSamples, seed);
    }
}
