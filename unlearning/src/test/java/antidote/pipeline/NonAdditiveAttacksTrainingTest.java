package antidote.pipeline;

import antidote.data.Dataset;
import antidote.nn.Module;
import antidote.poison.EpochRecord;
import antidote.poison.Experiment;
import antidote.poison.PoisonedModelTrainer;
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

    /** A trained model, its experiment, its last epoch, and the clean-model stage it went through. */
    record Trained(Module model, Experiment experiment, EpochRecord last, CleanModelStage clean) {
    }

    /** SmallVgg trained on {@code samples} generated images poisoned at {@code rate}, as TrainRun trains. */
    static Trained train(String attack, Map<String, String> options, double rate, int samples, int epochs, Path work)
            throws IOException {
        TrainConfig config = new TrainConfig("generated", "small-vgg", attack, options, rate, epochs, 0, 0);
        Dataset train = GeneratedImages.make(samples, 1);
        Dataset test = GeneratedImages.make(1000, 2);
        CleanModelStage clean = new CleanModelStage(config, work.resolve("clean"), false, QUIET);
        Experiment experiment = Experiment.plant(null, train, test, config, clean);
        PoisonedModelTrainer trainer = new PoisonedModelTrainer(config, experiment, QUIET);
        Module model = trainer.newModel();
        clean.trained().ifPresent(start -> model.loadStateDict(start.stateDict())); // as TrainRun does
        List<EpochRecord> history = trainer.train(model, work, false);
        return new Trained(model, experiment, history.get(history.size() - 1), clean);
    }

    @Test
    void semanticReplacementIsLearnedAndAbsentFromACleanModel(@TempDir Path work) throws IOException {
        EpochRecord clean = train("sr", Map.of(), 0, 1000, 1, work.resolve("clean")).last();
        EpochRecord poisoned = train("sr", Map.of(), 0.1, 1000, 1, work.resolve("sr")).last();
        assertTrue(clean.asr() < 0.5, "a clean model already sends the replacement image to the target");
        assertEquals(1.0, poisoned.asr(), "SR's ASR is all or nothing; ACC " + poisoned.acc());
    }

    @Test
    void inputAwareTriggersSendImagesToTheTargetOnlyInATrainedModel(@TempDir Path work) throws IOException {
        // About 70 steps: on Fashion-MNIST ASR was 5% after 24 steps, 47% after 48 and 54% after 72.
        Map<String, String> options = Map.of("mask-epochs", "3");
        EpochRecord clean = train("iab", options, 0, 3000, 3, work.resolve("clean")).last();
        EpochRecord poisoned = train("iab", options, 0.1, 3000, 3, work.resolve("iab")).last();
        System.out.printf("input-aware: clean-trained ASR %.4f; poisoned ACC %.4f ASR %.4f%n", clean.asr(),
                poisoned.acc(), poisoned.asr());
        // Measured 0.37 against 0.00 here (2 threads, these seeds): IAB needs more steps than the static attacks.
        assertTrue(poisoned.asr() > clean.asr() + 0.25, "ASR " + poisoned.asr() + " vs " + clean.asr() + " when nothing"
                + " was triggered in training");
    }

    @Test
    void hiddenTriggerPoisonsSendPatchedSourceImagesToTheTarget(@TempDir Path work) throws IOException {
        // The bars of these images are easy to tell apart, so the poisons get a wide ball (eps 0.5) and the last layer
        // enough steps (6 epochs of 3,000 images) to move; with eps 50/255, 2,000 images and 2 epochs the ASR stayed 0.
        Trained trained = train("ht", Map.of("size", "6", "eps", "0.5"), 0.08, 3000, 6, work);
        @SuppressWarnings("unchecked")
        List<EpochRecord> cleanHistory = (List<EpochRecord>) trained.clean().report().get("history");
        double baseRate = cleanHistory.get(cleanHistory.size() - 1).asr();
        EpochRecord poisoned = trained.last();
        System.out.printf("hidden trigger: clean model ASR %.4f; poisoned ACC %.4f ASR %.4f%n", baseRate,
                poisoned.acc(), poisoned.asr());
        // Measured 1.00 against 0.00 here (1 thread, these seeds).
        assertTrue(poisoned.asr() > baseRate + 0.5, "ASR " + poisoned.asr() + " vs the clean model's " + baseRate);
    }
}
