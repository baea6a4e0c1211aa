package antidote.poison;

import antidote.attack.Attack;
import antidote.attack.AttackRegistry;
import antidote.attack.HiddenTrigger;
import antidote.attack.ImageShape;
import antidote.attack.InputAware;
import antidote.data.Dataset;
import antidote.data.Splits;
import antidote.data.source.DataSource;
import antidote.data.source.DataSources;
import antidote.data.source.SearchPath;
import antidote.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The data side of one experiment, built from a {@link TrainConfig}: the source, the (possibly subsampled)
 * clean training and test sets, the attack, the poisoned training set and the triggered test set. The source
 * is null for data built in memory.
 */
public record Experiment(DataSource source, Dataset train, Dataset test, Attack attack,
                         PoisonedTrainingSet poisoned, TriggeredTestSet triggered) {

    /**
     * Trains the clean model that an attack crafting its poisons against one (the hidden trigger) needs, on the
     * experiment it is given (the same data, nothing poisoned); the caller owns the trainer and its files.
     */
    @FunctionalInterface
    public interface CleanModelTrainer {
        Module train(Experiment clean) throws IOException;
    }

    /** For callers that cannot train: refuses the attacks that need a clean model. */
    public static final CleanModelTrainer NO_CLEAN_MODEL = clean -> {
        throw new IllegalArgumentException("attack " + clean.attack().name() + " crafts its poisons against a clean "
                + "model trained first; run it through 'antidote train' or 'antidote reproduce'");
    };

    /** Loads the data (searching {@code dataDir}, then ANTIDOTE_DATA, then the standard places) and plants the attack. */
    public static Experiment prepare(TrainConfig config, Path dataDir) throws IOException {
        return prepare(config, dataDir, NO_CLEAN_MODEL);
    }

    /** As above; {@code cleanModel} trains the clean model of attacks that need one. */
    public static Experiment prepare(TrainConfig config, Path dataDir, CleanModelTrainer cleanModel)
            throws IOException {
        DataSource source = DataSources.open(config.dataset(), SearchPath.standard(dataDir));
        Dataset train = source.load("train");
        Dataset test = source.load("test");
        checkAligned(train, test);
        if (config.trainSamples() > train.size()) {
            throw new IllegalArgumentException("--train-samples " + config.trainSamples() + " is more than the "
                    + train.size() + " training images of " + config.dataset() + "; give at most " + train.size()
                    + " (0 uses all)");
        }
        if (config.trainSamples() > 0 && config.trainSamples() < train.size()) {
            train = Splits.random(train, config.trainSamples(), config.seed()).first();
        }
        return plant(source, train, test, config, cleanModel);
    }

    /** Plants the attack of {@code config} in {@code train} and {@code test}. */
    public static Experiment plant(DataSource source, Dataset train, Dataset test, TrainConfig config,
                                   CleanModelTrainer cleanModel) throws IOException {
        Attack attack = attack(config);
        if (attack instanceof InputAware inputAware) {
            // The generators start fresh and are trained with the model; nothing is poisoned beforehand.
            attack = inputAware.withNetworks(inputAware.freshNetworks(new ImageShape(train.channels(), train.height(),
                    train.width())));
            return new Experiment(source, train, test, attack, Poisoning.poisonTraining(train, attack, 0,
                    config.seed()), Poisoning.triggerTest(test, attack));
        }
        TriggeredTestSet triggered = Poisoning.triggerTest(test, attack);
        PoisonedTrainingSet poisoned;
        if (attack instanceof HiddenTrigger hidden) {
            Experiment clean = new Experiment(source, train, test, attack,
                    Poisoning.poisonTraining(train, attack, 0, config.seed()), triggered);
            poisoned = HiddenTriggerPoisons.plant(train, hidden, config.poisonRate(), config.seed(),
                    cleanModel.train(clean));
        } else {
            poisoned = Poisoning.poisonTraining(train, attack, config.poisonRate(), config.seed());
        }
        return new Experiment(source, train, test, attack, poisoned, triggered);
    }

    /**
     * Refuses splits whose image shapes or classes differ: label k would name one class in training and another
     * in the test (an image folder whose train and test class folders differ).
     */
    static void checkAligned(Dataset train, Dataset test) {
        if (!Arrays.equals(train.imageShape(), test.imageShape())) {
            throw new IllegalArgumentException("the training and test images differ in shape (" + train.describe()
                    + "; " + test.describe() + "): give both splits images of one size");
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("the training and test splits have different classes (train "
                    + train.classNames() + ", test " + test.classNames() + "): labels would not match; give both "
                    + "splits the same class folders");
        }
    }

    /** The source's customary training augmentation; none for data built in memory (no source). */
    public antidote.data.Augmentation trainAugmentation() {
        return source == null ? antidote.data.Augmentation.none() : source.trainAugmentation();
    }

    /** The attack of {@code config}, seeded with the config's seed unless the options name one. */
    public static Attack attack(TrainConfig config) {
        Map<String, String> options = new HashMap<>(config.attackOptions());
        options.putIfAbsent("seed", Long.toString(config.seed()));
        return AttackRegistry.standard().create(config.attack(), options);
    }
}
