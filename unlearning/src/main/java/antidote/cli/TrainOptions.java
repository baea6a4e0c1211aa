package antidote.cli;

import antidote.attack.AttackSpec;
import antidote.poison.TrainConfig;
import antidote.privacy.DpSettings;
import picocli.CommandLine.ArgGroup;
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
                    + "sr, ht, iab, optionally with options as in defend and reproduce, e.g. badnets:size=3,target=0 "
                    + "(default: ${DEFAULT-VALUE}).")
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

    /** DP-SGD training: --dp turns it on; the other options need it and default to {@link DpSettings#DEFAULT}. */
    static final class DpOptions {
        @Option(names = "--dp", required = true, description = "Train with DP-SGD: per-sample clipping, Gaussian "
                + "noise, and the privacy spent (epsilon) reported each epoch; batch norm runs on fixed statistics.")
        boolean on;

        @Option(names = "--dp-clip", description = "Per-sample gradient norm bound C (default: "
                + DpSettings.DEFAULT_CLIP + ").")
        Double clip;

        @Option(names = "--dp-noise", description = "Noise multiplier sigma: N(0, sigma^2 C^2) on the summed gradient "
                + "(default: " + DpSettings.DEFAULT_NOISE + "; the I-BAU paper used 1.5 on GTSRB, 50 on CIFAR-10).")
        Double noise;

        @Option(names = "--dp-sampling", description = "poisson or shuffle (default: " + DpSettings.DEFAULT_SAMPLING
                + ").")
        String sampling;

        @Option(names = "--dp-delta", description = "delta at which epsilon is reported (default: "
                + DpSettings.DEFAULT_DELTA + ").")
        Double delta;

        DpSettings settings() {
            DpSettings d = DpSettings.DEFAULT;
            return new DpSettings(clip == null ? d.clip() : clip, noise == null ? d.noise() : noise,
                    sampling == null ? d.sampling() : DpSettings.Sampling.parse(sampling),
                    delta == null ? d.delta() : delta);
        }
    }

    @ArgGroup(exclusive = false, heading = "%nDP-SGD training (the --dp-* options need --dp):%n")
    DpOptions dp;

    TrainConfig config() {
        // The same attack text as defend's and reproduce's; --attack-option and --target add to its options.
        AttackSpec spec = AttackSpec.parse(attack);
        Map<String, String> options = new LinkedHashMap<>(spec.options());
        options.putAll(attackOptions);
        if (target != null) {
            options.put("target", target.toString());
        }
        return new TrainConfig(dataset, model, spec.name(), options, poisonRate, epochs, trainSamples, seed,
                dp == null ? null : dp.settings());
    }
}
