package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttackRegistryTest {
    /** A user's attack, written as one class: flips the image and sends every image to class 0. */
    static final class Invert implements Backdoor {
        @Override
        public String name() {
            return "invert";
        }

        @Override
        public float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
            float[] out = new float[chw.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = 1f - chw[i];
            }
            return out;
        }

        @Override
        public int poisonedLabel(int trueLabel, int numClasses) {
            return 0;
        }
    }

    @Test
    void listsTheBuiltIns() {
        assertEquals(List.of("badnets", "blend", "trojan-sq", "trojan-wm", "l0", "l2", "smooth", "sig", "wanet",
                "all-to-all", "multi-trigger", "sr", "ht", "iab"), List.copyOf(AttackRegistry.standard().names()));
    }

    @Test
    void everyBuiltInBuildsWithDefaultsUnderItsOwnName() {
        AttackRegistry registry = AttackRegistry.standard();
        for (String name : registry.names()) {
            assertEquals(name, registry.create(name).name());
        }
        assertEquals(8, ((BadNets) registry.create("badnets")).target());
    }

    @Test
    void optionsOverrideTheDefaults() {
        AttackRegistry registry = AttackRegistry.standard();
        BadNets badNets = (BadNets) registry.create("badnets", Map.of("target", "3", "size", "4", "row", "-5",
                "col", "-5", "value", "0.5"));
        assertEquals(3, badNets.target());
        assertEquals(new SquarePatch(4, -5, -5, 0.5f), badNets.patch());
        Blend blend = (Blend) registry.create("blend", Map.of("alpha", "0.1", "seed", "5"));
        assertEquals(0.1f, blend.alpha());
        assertEquals(2.5, assertInstanceOf(WaNet.class, registry.create("wanet", Map.of("cross-ratio", "2.5")))
                .noiseMode().orElseThrow().ratio());
    }

    @Test
    void seedOptionGivesTheSameAttackAsTheConstructor() {
        ImageShape shape = new ImageShape(3, 16, 16);
        float[] image = TestImages.random(shape, 2);
        Backdoor fromRegistry = (Backdoor) AttackRegistry.standard().create("trojan-wm", Map.of("seed", "9"));
        assertArrayEquals(new TrojanWatermark(2, TrojanWatermark.seeded(9)).apply(image, shape, 0),
                fromRegistry.apply(image, shape, 0));
    }

    @Test
    void patternOptionReadsAUserImage(@TempDir Path dir) {
        Path file = TestImages.writeGrayPng(dir.resolve("k.png"), new int[][] {{255, 0}});
        ImageShape shape = new ImageShape(1, 1, 2);
        Backdoor blend = (Backdoor) AttackRegistry.standard().create("blend",
                Map.of("pattern", file.toString(), "alpha", "0.5"));
        assertArrayEquals(new float[] {0.5f, 0f}, blend.apply(new float[2], shape, 0), 1e-6f);
    }

    @Test
    void unknownNamesAndOptionsAndBadNumbersSayWhatIsValid() {
        AttackRegistry registry = AttackRegistry.standard();
        var name = assertThrows(IllegalArgumentException.class, () -> registry.create("badnet"));
        assertTrue(name.getMessage().contains("unknown attack 'badnet'") && name.getMessage().contains("badnets"),
                name.getMessage());
        var option = assertThrows(IllegalArgumentException.class,
                () -> registry.create("blend", Map.of("alpah", "0.1")));
        assertTrue(option.getMessage().contains("[alpah]") && option.getMessage().contains("alpha"),
                option.getMessage());
        var number = assertThrows(IllegalArgumentException.class,
                () -> registry.create("badnets", Map.of("size", "big")));
        assertTrue(number.getMessage().contains("size=big") && number.getMessage().contains("not an integer"),
                number.getMessage());
        var target = assertThrows(IllegalArgumentException.class,
                () -> registry.create("sig", Map.of("target", "-2")));
        assertTrue(target.getMessage().contains("target class -2"), target.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.create("multi-trigger", Map.of("target", "1")));
    }

    @Test
    void aUserAttackIsOneClassPlusOneRegistration() {
        AttackRegistry registry = AttackRegistry.standard().with("invert", options -> new Invert());
        Attack attack = registry.create("invert");
        assertEquals("invert", attack.name());
        assertEquals(1, attack.backdoors().size());
        assertTrue(attack.backdoorFor(3).poisons(5, 10));
        assertThrows(IllegalArgumentException.class, () -> registry.with("invert", options -> new Invert()));
        assertThrows(IllegalArgumentException.class, () -> AttackRegistry.standard().create("invert"));
    }
}
