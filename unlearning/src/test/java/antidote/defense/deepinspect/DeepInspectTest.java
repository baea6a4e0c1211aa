package antidote.defense.deepinspect;

import antidote.data.Dataset;
import antidote.defense.RoundObserver;
import antidote.defense.SettingsRecord;
import antidote.defense.trigger.PoisonedMlp;
import antidote.defense.trigger.TriggerUnlearning;
import antidote.pipeline.DefenseOutcome;
import antidote.pipeline.DefenseRun;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeepInspectTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /**
     * On the poisoned perceptron: the target's generated perturbations are the smallest, it is flagged, and
     * unlearning G's triggers brings ASR below 20% with ACC within 5 points.
     */
    @Test
    void flagsTheTargetAndUnlearnsItsGeneratedTriggers(@TempDir Path out) throws Exception {
        PoisonedMlp fixture = PoisonedMlp.train();
        DeepInspect.Settings d = DeepInspect.Settings.DEFAULT;
        DeepInspect di = new DeepInspect(new DeepInspect.Settings(d.generatorSteps(), d.generatorBatchSize(),
                d.generatorLr(), d.noiseDim(), d.hiddenSize(), d.magnitudeWeight(), d.magnitudeBound(), d.ganWeight(),
                d.threshold(),
                new TriggerUnlearning.Settings(3, 64, 1e-2, 0.2), 0));
        DefenseOutcome o = DefenseRun.run(di, fixture.model(), fixture.clean(), fixture.eval(), fixture.triggered(),
                QUIET);
        System.out.printf("DeepInspect end to end: ACC %.4f -> %.4f, ASR %.4f -> %.4f in %.1f s; %s%n",
                o.before().acc(), o.after().acc(), o.before().asr(), o.after().asr(), o.seconds(), di.findings());
        assertTrue(((List<?>) di.findings().get("flagged")).contains(PoisonedMlp.TARGET), "flagged: " + di.findings());
        double[] index = di.detection().index().indices();
        for (int c = 0; c < index.length; c++) {
            assertTrue(c == PoisonedMlp.TARGET || index[c] < index[PoisonedMlp.TARGET],
                    "the target's anomaly index is the largest: " + di.findings());
        }
        assertTrue(o.before().asr() > 0.9, "ASR before: " + o.before().asr());
        assertTrue(o.after().asr() < 0.2, "ASR after: " + o.after().asr());
        assertTrue(o.before().acc() - o.after().acc() < 0.05, "ACC " + o.before().acc() + " -> " + o.after().acc());
        di.writeArtifacts(out);
        assertTrue(Files.size(out.resolve("class-0-perturbation.png")) > 0);
    }

    /**
     * γ₁ really switches the discriminator: with it the per-class perturbation sizes move, and at 0 two runs give
     * the same sizes bit for bit (no discriminator is drawn, so nothing of it reaches the generator).
     */
    @Test
    void ganWeightSwitchesTheDiscriminatorOnAndOff() {
        double[] off = perturbationSizes(0);
        assertArrayEquals(off, perturbationSizes(0), 0);
        double[] on = perturbationSizes(0.5);
        assertFalse(Arrays.equals(off, on), "gan-weight 0.5 left the sizes at " + Arrays.toString(off));
    }

    /** DeepInspect's per-class mean L1 norms on random 8x8 images and a linear model: a second or so. */
    private static double[] perturbationSizes(double ganWeight) {
        DeepInspect.Settings settings = SettingsRecord.with(DeepInspect.Settings.DEFAULT, Map.of(
                "generator-steps", 20, "generator-batch-size", 8, "noise-dim", 4, "hidden-size", 16,
                "gan-weight", ganWeight, "epochs", 1, "batch-size", 16));
        byte[] pixels = new byte[48 * 64];
        new SplittableRandom(3).nextBytes(pixels);
        int[] labels = new int[48];
        Arrays.setAll(labels, i -> i % 3);
        Dataset clean = Dataset.of("random", pixels, labels, 1, 8, 8, List.of("a", "b", "c"));
        Module model = new Sequential(new Flatten(), new Linear(64, 3, true, new SplittableRandom(4)));
        DeepInspect di = new DeepInspect(settings);
        di.purify(model, clean, (round, purified) -> {
        });
        return di.detection().values();
    }
}
