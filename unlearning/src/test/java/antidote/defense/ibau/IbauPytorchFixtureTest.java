package antidote.defense.ibau;

import antidote.pipeline.Defenses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One round of I-BAU, with the reference code's settings and with the default preset, on the PyTorch-trained
 * BadNets SmallVgg of {@code ../shared/fixtures} removes its backdoor, as the reference protocol does in PyTorch
 * (ASR 99.98% → 1.91%, ACC 91.70 → 90.60).
 * Minutes on two cores: tagged slow, run with {@code -Pslow}.
 */
@Tag("slow")
class IbauPytorchFixtureTest {
    /** The module's directory is the working directory of its tests; the fixtures sit next to the repository. */
    private static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"reference-code", "projected"})
    void oneRoundRemovesTheBackdoor(String preset) throws IOException {
        var loaded = PytorchBadNetsFixture.load(REPO_ROOT);
        assumeTrue(loaded.isPresent(), () -> "skipped: needs " + PytorchBadNetsFixture.expected(REPO_ROOT));
        PytorchBadNetsFixture fixture = loaded.get();
        double accBefore = fixture.accuracy();
        double asrBefore = fixture.attackSuccessRate();
        assertTrue(asrBefore > 0.99 && accBefore > 0.91, "the fixture as measured in PyTorch (ACC 91.70%, ASR "
                + "99.98%), got ACC " + accBefore + ", ASR " + asrBefore);

        new Ibau((IbauSettings) Defenses.kind("ibau").preset(preset)).purify(fixture.model(), fixture.clean(), (round, model) -> { });

        double acc = fixture.accuracy();
        double asr = fixture.attackSuccessRate();
        System.out.printf("I-BAU (" + preset + ") on the PyTorch fixture: ACC %.2f%% -> %.2f%%, ASR %.2f%% -> %.2f%%%n",
                100 * accBefore, 100 * acc, 100 * asrBefore, 100 * asr);
        assertTrue(asr < 0.10, "ASR after one round: " + asr);
        assertTrue(accBefore - acc < 0.02, "ACC fell from " + accBefore + " to " + acc);
    }
}
