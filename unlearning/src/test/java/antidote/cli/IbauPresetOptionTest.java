package antidote.cli;

import antidote.defense.ibau.IbauSettings;
import antidote.pipeline.DefenseKind;
import antidote.pipeline.Defenses;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** I-BAU's presets as {@code defend --ibau-preset NAME} reads them. */
class IbauPresetOptionTest {

    @SuppressWarnings("unchecked")
    private static IbauSettings parse(String... args) {
        String[] withCommand = new String[args.length + 1];
        withCommand[0] = "defend";
        System.arraycopy(args, 0, withCommand, 1, args.length);
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(withCommand).subcommand();
        DefenseKind<IbauSettings> ibau = (DefenseKind<IbauSettings>) Defenses.kind("ibau");
        return DefenseSettingOptions.read(parsed, ibau, ibau.defaults(), true);
    }

    @Test
    void theSemanticReplacementPresetIsTheAppendixSetting() {
        IbauSettings s = parse("--run", "r", "--out", "o", "--ibau-preset", Defenses.IBAU_SR_PRESET);
        assertEquals(3, s.rounds());
        assertEquals(IbauSettings.InnerOptimizer.ADAM, s.innerOptimizer());
        assertEquals(0.1, s.innerLr());
        assertEquals(IbauSettings.Projection.NONE, s.projection(), "no L2 bound");
        assertTrue(s.clamp(), "x+δ clamped to [0,1]");
        assertEquals(IbauSettings.semanticReplacement(), s);
    }

    @Test
    void optionsAfterThePresetOverrideIt() {
        IbauSettings s = parse("--run", "r", "--out", "o", "--ibau-preset", Defenses.IBAU_SR_PRESET, "--rounds", "1",
                "--ibau-clamp", "false");
        assertEquals(1, s.rounds());
        assertFalse(s.clamp());
        assertEquals(0.1, s.innerLr());
    }
}
