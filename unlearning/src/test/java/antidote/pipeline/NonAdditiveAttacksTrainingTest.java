package antidote.pipeline;

import antidote.attack.Attack;
import antidote.data.Dataset;
import antidote.poison.EpochRecord;
import antidote.poison.Experiment;
import antidote.poison.PoisonedModelTrainer;
import antidote.poison.Poisoning;
import antidote.poison.TrainConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacks of the I-BAU paper's appendix A.5 work: SmallVgg trained briefly on generated images poisoned with
 * each learns its backdoor (ASR far above that of a model trained on clean data). Minutes, so tagged slow.
 */
@Tag("slow")
class NonAdditiveAttacksTrainingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** The last epoch of SmallVgg trained on {@code samples} generated images poisoned at {@code rate}. */
    static EpochRecord train(String attack, Map<String, String> options, double rate, int samples, int epochs,
                             Path work) throws IOException {
        TrainConfig config = new TrainConfig("generated", "small-vgg", attack, options, rate, epochs, 0, 0);
        Dataset train = GeneratedImages.make(samples, 1);
        Dataset test = GeneratedImages.make(1000, 2);
        Attack planted = Experiment.attack(config);
        Experiment experiment = new Experiment(null, train, test, planted,
                Poisoning.poisonTraining(train, planted, rate, 0), Poisoning.triggerTest(test, planted));
        PoisonedModelTrainer trainer = new PoisonedModelTrainer(config, experiment, QUIET);
        List<EpochRecord> history = trainer.train(trainer.newModel(), work, false);
        return history.get(history.size() - 1);
    }

    @Test
    void semanticReplacementIsLearnedAndAbsentFromACleanModel(@TempDir Path work) throws IOException {
        EpochRecord clean = train("sr", Map.of(), 0, 1000, 1, work.resolve("clean"));
        EpochRecord poisoned = train("sr", Map.of(), 0.1, 1000, 1, work.resolve("sr"));
        assertTrue(clean.asr() < 0.5, "a clean model already sends the replacement image to the target");
        assertEquals(1.0, poisoned.asr(), "SR's ASR is all or nothing; ACC " + poisoned.acc());
    }
}
