package antidote.pipeline;

import antidote.attack.Attack;
import antidote.data.Dataset;
import antidote.defense.Defense;
import antidote.defense.SettingsRecord;
import antidote.defense.DivergenceException;
import antidote.defense.RoundObserver;
import antidote.defense.ft.FineTuning;
import antidote.defense.ibau.IbauSettings;
import antidote.defense.sau.Sau;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.layer.Flatten;
import antidote.nn.layer.Linear;
import antidote.nn.model.SmallVgg;
import antidote.poison.Experiment;
import antidote.poison.TrainConfig;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every defense tells its observer, the user's options reaching each defense, and the time to effect. */
class DefenseRunTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final Dataset CLEAN = GeneratedImages.make(300, 3);

    private static Module linearModel() {
        return new Sequential(new Flatten(), new Linear(784, 10, true, new SplittableRandom(5)));
    }

    /** Defenses that first detect, then unlearn only what they flagged: with nothing flagged there is one round. */
    private static final Set<String> DETECTING = Set.of("nc", "tabor", "deepinspect");

    /** The linear model, or a SmallVgg for the defenses that work on a network's layers (Fine-Pruning, NAD). */
    private static Module modelFor(String defense) {
        return Set.of("fp", "nad").contains(defense) ? new SmallVgg(1, 28, 28, 10, new SplittableRandom(5))
                : linearModel();
    }

    @Test
    void everyDefenseReportsEachBatchInOrderAndEachRound() {
        for (String name : Defenses.names().stream().filter(n -> !DETECTING.contains(n)).toList()) {
            Defense defense = TestDefenses.create(name, 2, 1);
            List<int[]> steps = new ArrayList<>();
            List<Integer> rounds = new ArrayList<>();
            defense.purify(modelFor(name), CLEAN, new RoundObserver() {
                @Override
                public void afterStep(int round, int step, int total) {
                    steps.add(new int[]{round, step, total});
                }

                @Override
                public void afterRound(int round, Module model) {
                    rounds.add(round);
                }
            });
            assertEquals(List.of(1, 2), rounds, name);
            int total = steps.get(0)[2];
            assertEquals(2 * total, steps.size(), name + ": every batch of both rounds is reported");
            for (int i = 0; i < steps.size(); i++) {
                int[] s = steps.get(i);
                assertEquals(i / total + 1, s[0], name);
                assertEquals(i % total + 1, s[1], name);
                assertEquals(total, s[2], name);
            }
        }
    }

    /**
     * A detecting defense reports its progress within each round's total, never backwards, and one round when it
     * flags nothing (the model comes back unchanged) or one per unlearning epoch when it does.
     */
    @Test
    void everyDetectingDefenseReportsProgressAndItsRounds() {
        for (String name : DETECTING) {
            Defense defense = shortSearch(Defenses.kind(name));
            List<int[]> steps = new ArrayList<>();
            List<Integer> rounds = new ArrayList<>();
            defense.purify(linearModel(), CLEAN, new RoundObserver() {
                @Override
                public void afterStep(int round, int step, int total) {
                    steps.add(new int[]{round, step, total});
                }

                @Override
                public void afterRound(int round, Module model) {
                    rounds.add(round);
                }
            });
            @SuppressWarnings("unchecked")
            List<Integer> flagged = (List<Integer>) defense.findings().get("flagged");
            assertEquals(flagged.isEmpty() ? List.of(1) : List.of(1, 2), rounds, name + " flagged " + flagged);
            for (int i = 0; i < steps.size(); i++) {
                int[] s = steps.get(i);
                assertTrue(s[1] >= 1 && s[1] <= s[2], name + ": step " + s[1] + " of " + s[2]);
                if (i > 0 && steps.get(i - 1)[0] == s[0]) {
                    assertTrue(s[1] > steps.get(i - 1)[1], name + ": progress never goes back");
                }
            }
        }
    }

    /** The defense with two unlearning epochs after a search of three epochs (or generator steps). */
    private static <S extends Record> Defense shortSearch(DefenseKind<S> kind) {
        S s = kind.defaults();
        String search = SettingsRecord.has(s, "max-epochs") ? "max-epochs" : "generator-steps";
        return kind.create(SettingsRecord.with(s, Map.of("epochs", 2, "seed", 1L, search, 3)));
    }

    @Test
    void aModelThatGivesNaNStopsEveryDefenseWithAClearError() {
        for (String name : Defenses.names()) {
            Module model = modelFor(name);
            model.setParameterValues(model.parameterValues().stream().map(t -> t.mul(Double.NaN)).toList());
            Defense defense = TestDefenses.create(name, 1, 0);
            DivergenceException e = assertThrows(DivergenceException.class,
                    () -> defense.purify(model, CLEAN, (round, m) -> { }), name);
            assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("input checkpoint is untouched"),
                    e.getMessage());
        }
    }

    @Test
    void everyDefenseIsBuiltFromItsSettingsRecordWithItsDocumentedDefaults() {
        assertEquals(1e-3, ((IbauSettings) Defenses.kind("ibau").defaults()).outerLr());
        assertEquals(1e-4, ((Sau.Settings) Defenses.kind("sau").defaults()).lr());
        assertEquals(100, ((Sau.Settings) Defenses.kind("sau").defaults()).epochs());
        Sau.Settings fast = SettingsRecord.with((Sau.Settings) Defenses.kind("sau").defaults(), "lr", 0.05);
        assertEquals(0.05, ((Sau.Settings) Defenses.kind("sau").create(fast).settings()).lr());
        assertThrows(IllegalArgumentException.class,
                () -> SettingsRecord.with((Sau.Settings) Defenses.kind("sau").defaults(), "lr", -1.0));
        assertThrows(IllegalArgumentException.class, () -> Defenses.kind("prune"));
    }

    /** A model that always answers {@code label}, and a defense that changes nothing. */
    private static DefenseOutcome runConstant(int label) {
        Module constant = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                double[] logits = new double[x.dim(0) * 10];
                for (int i = 0; i < x.dim(0); i++) {
                    logits[i * 10 + label] = 1;
                }
                return Tensor.fromArray(logits, Shape.of(x.dim(0), 10), x.device()).to(x.dtype());
            }
        };
        Defense nothing = new Defense() {
            @Override
            public String name() {
                return "nothing";
            }

            @Override
            public Object settings() {
                return Map.of();
            }

            @Override
            public void purify(Module model, Dataset cleanSet, RoundObserver observer) {
                observer.afterRound(1, model);
            }
        };
        Attack badnets = Experiment.attack(new TrainConfig("fashion-mnist", "small-vgg", "badnets", Map.of(), 0.1, 1,
                0, 0));
        DefendRun.TestHalves halves = DefendRun.TestHalves.of(GeneratedImages.make(200, 4), badnets, 50);
        return DefenseRun.run(nothing, constant, halves.clean(), halves.evaluation(), halves.triggered(), QUIET);
    }

    @Test
    void timeToEffectIsZeroWhenTheBackdoorWasAlreadyGoneAndAbsentWhenItStays() {
        int target = Experiment.attack(new TrainConfig("fashion-mnist", "small-vgg", "badnets", Map.of(), 0.1, 1, 0,
                0)).backdoors().get(0).poisonedLabel(1, 10);
        DefenseOutcome gone = runConstant((target + 1) % 10);
        assertEquals(0.0, gone.before().asr());
        assertEquals(0.0, gone.timeToEffect());
        DefenseOutcome stays = runConstant(target);
        assertEquals(1.0, stays.before().asr());
        assertEquals(1.0, stays.after().asr());
        assertNull(stays.timeToEffect());
        assertTrue(stays.history().size() == 1 && gone.history().size() == 1);
    }
}
