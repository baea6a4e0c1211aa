package antidote.defense;

import antidote.defense.sau.Sau;
import antidote.defense.sau.SharedPgd;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings records read and rebuilt generically: flattened kebab-case names, conversions, checks, enums. */
class SettingsRecordTest {

    @Test
    void nestedSettingsAreFlattenedInDeclarationOrderWithTheirHelp() {
        List<SettingsRecord.Field> fields = SettingsRecord.fields(Sau.Settings.BACKDOORBENCH);
        List<String> names = fields.stream().map(SettingsRecord.Field::name).toList();
        assertEquals(List.of("epochs", "batch-size", "lr", "clean-weight", "adv-weight", "sar-weight", "train-mode",
                "bound", "step", "steps", "init", "beta1", "beta2", "seed"), names);
        assertEquals(100, fields.get(0).value());
        assertTrue(fields.get(0).help().contains("passes"), fields.get(0).help());
    }

    @Test
    void withReplacesNamedSettingsThroughTheCanonicalConstructor() {
        Sau.Settings s = SettingsRecord.with(Sau.Settings.BACKDOORBENCH,
                Map.of("epochs", 3, "bound", 0.1, "init", SharedPgd.Init.ZERO, "train-mode", true));
        assertEquals(3, s.epochs());
        assertEquals(0.1, s.pgd().bound());
        assertEquals(SharedPgd.Init.ZERO, s.pgd().init());
        assertTrue(s.trainMode());
        assertEquals(Sau.Settings.BACKDOORBENCH.lr(), s.lr(), "untouched settings keep their value");
        assertEquals(2.0, SettingsRecord.with(s, "lr", 2).lr(), "an integer converts to a double setting");
    }

    @Test
    void unknownNamesAndOutOfRangeValuesAreRefused() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SettingsRecord.with(Sau.Settings.BACKDOORBENCH, "rounds", 2));
        assertTrue(unknown.getMessage().contains("rounds") && unknown.getMessage().contains("epochs"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SettingsRecord.with(Sau.Settings.BACKDOORBENCH, "epochs", 0));
        assertThrows(IllegalArgumentException.class,
                () -> SettingsRecord.with(Sau.Settings.BACKDOORBENCH, "epochs", "many"));
    }

    @Test
    void enumsAreSpelledInKebabCase() {
        assertEquals("fixed-point", SettingsRecord.spell(Kind.FIXED_POINT));
        assertEquals(Kind.FIXED_POINT, SettingsRecord.parseEnum(Kind.class, "fixed-point"));
        assertEquals(Kind.CG, SettingsRecord.parseEnum(Kind.class, "CG"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SettingsRecord.parseEnum(Kind.class, "newton"));
        assertTrue(e.getMessage().contains("fixed-point"), e.getMessage());
        assertEquals("outer-lr", SettingsRecord.kebab("outerLr"));
    }

    private enum Kind { FIXED_POINT, CG }
}
