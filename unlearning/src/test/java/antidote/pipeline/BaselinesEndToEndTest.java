package antidote.pipeline;

import antidote.defense.Defense;
import antidote.defense.SettingsRecord;
import antidote.defense.fp.FinePruning;
import antidote.defense.nad.Nad;
import antidote.nn.Module;
import antidote.poison.EpochRecord;
import antidote.poison.Experiment;
import antidote.poison.PoisonedModelTrainer;
import antidote.poison.TrainConfig;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fine-Pruning and NAD on the small poisoned model of {@link BackdoorEndToEndTest} (SmallVgg, 2 epochs on 6,000
 * BadNets-poisoned Fashion-MNIST images) with 1,000 clean images: each lowers the ASR below half of what it was
 * while the clean accuracy stays within 10 points. Budgets are small (minutes on two cores), so the test is
 * tagged slow: {@code mvn test -Pslow}.
 */
@Tag("slow")
class BaselinesEndToEndTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static Module model;
    private static Map<String, Tensor> poisoned;
    private static DefendRun.TestHalves halves;

    @BeforeAll
    static void trainPoisonedModel(@TempDir Path work) throws IOException {
        TrainConfig config = new TrainConfig("fashion-mnist", "small-vgg", "badnets", Map.of(), 0.1, 2, 6000, 0);
        Experiment experiment = BackdoorEndToEndTest.experiment(config);
        PoisonedModelTrainer trainer = new PoisonedModelTrainer(config, experiment, QUIET);
        model = trainer.newModel();
        List<EpochRecord> history = trainer.train(model, work, false);
        EpochRecord trained = history.get(history.size() - 1);
        assertTrue(trained.asr() > 0.90, "the backdoor is planted: ASR " + trained.asr());
        poisoned = model.stateDict();
        halves = DefendRun.TestHalves.of(experiment.test(), experiment.attack(), 1000);
    }

    private static DefenseOutcome defend(Defense defense) {
        model.loadStateDict(poisoned);
        DefenseOutcome o = DefenseRun.run(defense, model, halves.clean(), halves.evaluation(), halves.triggered(), QUIET);
        System.out.printf("%s end to end: ACC %.4f -> %.4f, ASR %.4f -> %.4f in %.1f s, findings %s%n", defense.name(),
                o.before().acc(), o.after().acc(), o.before().asr(), o.after().asr(), o.seconds(), defense.findings());
        return o;
    }

    private static void assertLowersAsrKeepingAcc(DefenseOutcome o) {
        assertTrue(o.after().asr() < o.before().asr() / 2, "ASR " + o.before().asr() + " -> " + o.after().asr());
        assertTrue(o.before().acc() - o.after().acc() < 0.10, "ACC " + o.before().acc() + " -> " + o.after().acc());
    }

    @Test
    void finePruningLowersTheAsr() {
        // The paper's rule prunes nearly every channel here; 20 epochs on the 800 other images bring ACC back.
        FinePruning.Settings s = SettingsRecord.with(FinePruning.Settings.PAPER, Map.of("held-out", 200, "epochs", 20));
        assertLowersAsrKeepingAcc(defend(new FinePruning(s)));
    }

    @Test
    void nadLowersTheAsr() {
        // NAD's first epochs at lr 0.1 cost this small model 20 points of ACC that 3 epochs at 0.01 do not restore,
        // and its augmentation (crop, flip, cutout) 5-7 more on 1,000 images. Without it, at 0.01, measured on the
        // same model through `defend`: ACC 81.7 -> 74.6, ASR 99.3 -> 1.4 (at 0.003 ACC stays, ASR only -> 59.9).
        Nad.Settings s = SettingsRecord.with(Nad.Settings.PAPER, Map.of("teacher-epochs", 5, "epochs", 5, "lr", 0.01,
                "crop-padding", 0, "flip", false, "cutout", 0));
        assertLowersAsrKeepingAcc(defend(new Nad(s)));
    }
}
