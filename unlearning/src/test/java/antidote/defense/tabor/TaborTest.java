package antidote.defense.tabor;

import antidote.defense.nc.NeuralCleanse;
import antidote.defense.trigger.PoisonedMlp;
import antidote.defense.trigger.TriggerUnlearning;
import antidote.pipeline.DefenseOutcome;
import antidote.pipeline.DefenseRun;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaborTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** On the poisoned perceptron: the target's trigger is unlearned, ASR falls below 20%, ACC within 5 points. */
    @Test
    void flagsTheTargetAndUnlearnsItsTrigger() {
        PoisonedMlp fixture = PoisonedMlp.train();
        Tabor tabor = new Tabor(new Tabor.Settings(NeuralCleanse.Settings.FAST_SEARCH, TaborPenalty.Weights.REFERENCE,
                2, 320, new TriggerUnlearning.Settings(3, 64, 1e-2, 0.2), 0));
        DefenseOutcome o = DefenseRun.run(tabor, fixture.model(), fixture.clean(), fixture.eval(),
                fixture.triggered(), QUIET);
        System.out.printf("TABOR end to end: ACC %.4f -> %.4f, ASR %.4f -> %.4f in %.1f s; %s%n", o.before().acc(),
                o.after().acc(), o.before().asr(), o.after().asr(), o.seconds(), tabor.findings());
        assertTrue(tabor.unlearned().contains(PoisonedMlp.TARGET), "unlearned: " + tabor.findings());
        assertEquals(TriggerQuality.STATISTIC, tabor.findings().get("statistic"));
        assertEquals(tabor.quality().get(PoisonedMlp.TARGET).value(), tabor.detection().values()[PoisonedMlp.TARGET]);
        double onPatch = PoisonedMlp.massOnPatch(tabor.triggers().get(PoisonedMlp.TARGET).mask().toDoubleArray());
        assertTrue(onPatch > 0.5, "share of the target's mask on the patch: " + onPatch);
        assertTrue(o.before().asr() > 0.9, "ASR before: " + o.before().asr());
        assertTrue(o.after().asr() < 0.2, "ASR after: " + o.after().asr());
        assertTrue(o.before().acc() - o.after().acc() < 0.05, "ACC " + o.before().acc() + " -> " + o.after().acc());
    }

    /** A quality metric measured on no image is refused with the option that sets the count. */
    @Test
    void refusesAQualityMetricOnNoImages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Tabor.Settings(NeuralCleanse.Settings.FAST_SEARCH, TaborPenalty.Weights.REFERENCE, 2, 0,
                        TriggerUnlearning.Settings.DEFAULT, 0));
        assertTrue(e.getMessage().contains("--tabor-quality-images"), e.getMessage());
    }
}
