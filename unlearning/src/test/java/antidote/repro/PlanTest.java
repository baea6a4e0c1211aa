package antidote.repro;

import antidote.defense.SettingsRecord;
import antidote.pipeline.DefenseKind;
import antidote.pipeline.Defenses;
import antidote.privacy.DpSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The presets' grids: which defenses they compare and the budgets the default cuts. */
class PlanTest {

    @Test
    void everyPresetComparesEveryDefenseAndOnlyTheLargerOnesAddTheNaiveBaseline() {
        List<String> compared = Defenses.all().stream().map(DefenseKind::name).filter(n -> !n.equals("naive-uap"))
                .toList();
        assertEquals(compared, Plan.defaults().defenses());
        for (Plan p : List.of(Plan.full(), Plan.paper())) {
            assertTrue(p.defenses().containsAll(compared) && p.defenses().contains("naive-uap"), p.defenses().toString());
        }
    }

    @Test
    void theLargerPresetsTrainADpSgdColumnWithItsDefaultsAndTheDefaultLeavesItOut() {
        for (Plan p : List.of(Plan.full(), Plan.paper())) {
            assertTrue(p.defenses().contains(Defenses.DP), p.defenses().toString());
            assertEquals(DpSettings.DEFAULT, p.dpSettings());
        }
        assertFalse(Plan.defaults().defenses().contains(Defenses.DP), "DP-SGD's 3 trainings do not fit 15 minutes");
    }

    @Test
    void theDefaultCutsTheSlowDefensesBudgetsAndKeepsSomeImagesForFinePruningToFineTune() {
        Plan p = Plan.defaults();
        assertEquals(Plan.SEARCH_EPOCHS, value(p, "nc", "max-epochs"));
        assertEquals(Plan.SEARCH_EPOCHS, value(p, "tabor", "max-epochs"));
        assertEquals(Plan.GENERATOR_STEPS, value(p, "deepinspect", "generator-steps"));
        assertEquals(2, value(p, "nad", "epochs"));
        int heldOut = (Integer) value(p, "fp", "held-out");
        assertTrue(heldOut < p.cleanSamples().get(0) / 2, "held out " + heldOut);
        // The full grid runs every defense at its own defaults.
        assertEquals(Defenses.kind("nc").defaults(), Plan.full().settingsOf(Defenses.kind("nc")));
    }

    private static Object value(Plan plan, String defense, String setting) {
        return SettingsRecord.fields(plan.settingsOf(Defenses.kind(defense))).stream()
                .filter(f -> f.name().equals(setting)).findFirst().orElseThrow().value();
    }
}
