package antidote.defense.nc;

import antidote.defense.trigger.PoisonedMlp;
import antidote.defense.trigger.TriggerUnlearning;
import antidote.pipeline.DefenseOutcome;
import antidote.pipeline.DefenseRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class NeuralCleanseTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** The default search; the perceptron needs a stronger unlearning than a convolutional network. */
    static final NeuralCleanse.Settings FAST = new NeuralCleanse.Settings(NeuralCleanse.Settings.FAST_SEARCH, 2,
            new TriggerUnlearning.Settings(3, 64, 1e-2, 0.2), 0);

    /**
     * On an MLP poisoned with a 3x3 BadNets patch, the target class is flagged (index > 2), its recovered mask sits
     * on the patch, unlearning brings ASR below 20% with ACC within 5 points, and the triggers are written as PNGs.
     */
    @Test
    void recoversThePlantedPatchFlagsItsClassAndUnlearnsIt(@TempDir Path out) throws Exception {
        PoisonedMlp fixture = PoisonedMlp.train();
        NeuralCleanse nc = new NeuralCleanse(FAST);
        DefenseOutcome o = DefenseRun.run(nc, fixture.model(), fixture.clean(), fixture.eval(), fixture.triggered(),
                QUIET);
        Map<String, Object> findings = nc.findings();
        System.out.printf("NC end to end: ACC %.4f -> %.4f, ASR %.4f -> %.4f in %.1f s; %s%n", o.before().acc(),
                o.after().acc(), o.before().asr(), o.after().asr(), o.seconds(), findings);
        assertTrue(((List<?>) findings.get("flagged")).contains(PoisonedMlp.TARGET), "flagged: " + findings);
        double[] index = nc.detection().index().indices();
        for (int c = 0; c < index.length; c++) {
            assertTrue(c == PoisonedMlp.TARGET ? index[c] > 2 : index[c] < index[PoisonedMlp.TARGET],
                    "the target's anomaly index is above 2 and the largest: " + findings);
        }
        double onPatch = PoisonedMlp.massOnPatch(nc.triggers().get(PoisonedMlp.TARGET).mask().toDoubleArray());
        assertTrue(onPatch > 0.5, "share of the target's mask on the patch: " + onPatch);
        assertTrue(o.before().asr() > 0.9, "ASR before: " + o.before().asr());
        assertTrue(o.after().asr() < 0.2, "ASR after: " + o.after().asr());
        assertTrue(o.before().acc() - o.after().acc() < 0.05, "ACC " + o.before().acc() + " -> " + o.after().acc());
        nc.writeArtifacts(out);
        assertTrue(Files.size(out.resolve("class-0-mask.png")) > 0);
        assertTrue(Files.exists(out.resolve("class-9-trigger.png")));
    }
}
