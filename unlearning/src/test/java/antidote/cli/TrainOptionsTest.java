package antidote.cli;

import antidote.poison.TrainConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code train --attack} takes the attack text defend and reproduce take; the other options add to its options. */
class TrainOptionsTest {

    private static TrainConfig parse(String... args) {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs(args);
        return command.options.config();
    }

    @Test
    void attackOptionsWrittenAsInDefendReachTheConfig() {
        TrainConfig config = parse("--out", "x", "--attack", "badnets:size=3,row=25,col=25,value=1,target=0");
        assertEquals("badnets", config.attack());
        assertEquals(Map.of("size", "3", "row", "25", "col", "25", "value", "1", "target", "0"),
                config.attackOptions());
    }

    @Test
    void attackOptionAndTargetAddToThemAndWin() {
        TrainConfig config = parse("--out", "x", "--attack", "blend:alpha=0.1,target=2", "--attack-option",
                "alpha=0.2", "--target", "4");
        assertEquals("blend", config.attack());
        assertEquals(Map.of("alpha", "0.2", "target", "4"), config.attackOptions());
    }
}
