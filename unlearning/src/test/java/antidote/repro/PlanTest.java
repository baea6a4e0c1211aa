package antidote.repro;

import antidote.defense.SettingsRecord;
import antidote.pipeline.DefenseKind;
import antidote.pipeline.Defenses;
import antidote.privacy.DpSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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
    void theLargerPresetsTrainADpSgdColumnAndTheDefaultLeavesItOut() {
        for (Plan p : List.of(Plan.full(), Plan.paper())) {
            assertTrue(p.defenses().contains(Defenses.DP), p.defenses().toString());
        }
        assertEquals(DpSettings.DEFAULT, Plan.full().dpSettings("fashion-mnist"));
        assertFalse(Plan.defaults().defenses().contains(Defenses.DP), "DP-SGD's 3 trainings do not fit 15 minutes");
    }

    @Test
    void thePaperPresetFollowsItsProtocolAndAddsTheSensitivityCellsOnTrojanWm() {
        Plan paper = Plan.paper();
        assertEquals(List.of(0.2), paper.poisonRates());
        assertEquals(50, paper.epochs());
        List<Cell> cells = paper.cells();
        for (double rate : List.of(0.05, 0.005)) {
            List<String> defended = cells.stream().filter(c -> c.train().poisonRate() == rate).peek(c -> {
                assertEquals("cifar10", c.train().dataset());
                assertEquals("trojan-wm", c.attack());
                assertEquals(5000, c.cleanSamples());
            }).map(Cell::defense).toList();
            assertEquals(paper.defenses(), defended, "poison rate " + rate);
        }
        for (int clean : List.of(2500, 500, 100)) {
            List<String> defended = cells.stream().filter(c -> c.cleanSamples() == clean).peek(c -> {
                assertEquals("trojan-wm", c.attack());
                assertEquals(0.2, c.train().poisonRate());
            }).map(Cell::defense).toList();
            assertEquals(paper.defenses().stream().filter(d -> !d.equals(Defenses.DP)).toList(), defended,
                    "clean images " + clean + ": every defense but DP-SGD, which uses no clean set");
        }
        assertEquals(List.of(0.2, 0.05, 0.005), paper.allPoisonRates());
        // Without the attack in the grid there is no sensitivity study.
        Plan noTrojan = new Plan(paper.datasets(), paper.model(), List.of("badnets"), paper.poisonRates(),
                paper.seeds(), paper.epochs(), paper.trainSamples(), paper.defenses(), paper.cleanSamples(),
                paper.settings(), 0, paper.sensitivity());
        assertTrue(noTrojan.cells().stream().allMatch(c -> c.cleanSamples() == 5000 && c.train().poisonRate() == 0.2));
        assertEquals(List.of(5000), noTrojan.allCleanSamples());
    }

    @Test
    void thePaperPresetTrainsDpSgdWithThePapersNoiseOfEachDataset() {
        Plan paper = Plan.paper();
        assertEquals(50, paper.dpSettings("cifar10").noise());
        assertEquals(1.5, paper.dpSettings("gtsrb").noise());
        for (Cell c : paper.cells()) {
            if (c.defense().equals(Defenses.DP)) {
                double noise = ((DpSettings) c.settings()).noise();
                assertEquals(c.train().dataset().equals("cifar10") ? 50 : 1.5, noise, c.describe().toString());
            }
        }
        // The two datasets' dp cells differ, so neither is read from the other's cache entry.
        assertEquals(2, paper.cells().stream().filter(c -> c.defense().equals(Defenses.DP)
                && c.attack().equals("badnets")).map(Cell::hash).distinct().count());
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

    /**
     * The paper preset's Table 5 runs Fine-Pruning on 500 and 100 clean images, fewer than the 1,000 it holds out by
     * default (a full grid died there): those cells hold out a fifth, the paper's share, and the 5,000-image cells
     * keep the paper's 1,000.
     */
    @Test
    void everyFinePruningCellLeavesImagesToFineTuneOn() {
        int checked = 0;
        for (Plan p : List.of(Plan.full(), Plan.paper(), Plan.defaults())) {
            for (Cell c : p.cells()) {
                if (c.defense().equals("fp")) {
                    int heldOut = (Integer) SettingsRecord.fields(c.settings()).stream()
                            .filter(f -> f.name().equals("held-out")).findFirst().orElseThrow().value();
                    assertTrue(heldOut >= 1 && heldOut < c.cleanSamples(), heldOut + " of " + c.cleanSamples());
                    if (c.cleanSamples() == 5000) {
                        assertEquals(1000, heldOut);
                    }
                    if (c.cleanSamples() == 100) {
                        assertEquals(20, heldOut);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 3, "fp cells checked: " + checked);
    }

    @Test
    void theSemanticReplacementRowsRunIbauWithThePapersSettingForThemUnlessTheCommandLineChangesIbau() {
        DefenseKind<?> ibau = Defenses.kind("ibau");
        Record sr = ibau.presets().get(Defenses.IBAU_SR_PRESET);
        Plan full = Plan.full();
        assertEquals(sr, full.settingsOf(ibau, "sr"));
        assertEquals(full.settingsOf(ibau), full.settingsOf(ibau, "badnets"));
        Cell cell = full.cells().stream().filter(c -> c.attack().equals("sr") && c.defense().equals("ibau"))
                .findFirst().orElseThrow();
        assertEquals(seeded(ibau, sr, 0), cell.settings());
        // The command line's settings as ReproduceCommand passes them: unchanged ones keep the sr entry ...
        assertEquals(sr, full.withSettings(Map.of("ibau", full.settingsOf(ibau))).settingsOf(ibau, "sr"));
        assertEquals(sr, Plan.defaults().withSettings(Map.of("nc", Defenses.kind("nc").defaults()))
                .settingsOf(ibau, "sr"));
        // ... a changed one applies to every row.
        Record changed = SettingsRecord.with(full.settingsOf(ibau), "rounds", 2);
        assertEquals(changed, full.withSettings(Map.of("ibau", changed)).settingsOf(ibau, "sr"));
    }

    private static <S extends Record> S seeded(DefenseKind<S> kind, Record settings, long seed) {
        return kind.withSeed(kind.settingsType().cast(settings), seed);
    }

    private static Object value(Plan plan, String defense, String setting) {
        return SettingsRecord.fields(plan.settingsOf(Defenses.kind(defense))).stream()
                .filter(f -> f.name().equals(setting)).findFirst().orElseThrow().value();
    }
}
