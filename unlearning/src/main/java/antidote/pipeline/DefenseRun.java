package antidote.pipeline;

import antidote.data.Dataset;
import antidote.defense.Defense;
import antidote.defense.RoundObserver;
import antidote.metric.Der;
import antidote.metric.Metrics;
import antidote.nn.Module;
import antidote.poison.EpochRecord;
import antidote.poison.Evaluation;
import antidote.poison.TriggeredTestSet;
import antidote.report.ProgressBars;
import me.tongfei.progressbar.ProgressBar;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Runs a defense on a model and measures it round by round on held-out clean and triggered images. */
public final class DefenseRun {
    /** DESIGN.md §8: the time to effect is the wall time until ASR falls below this. */
    public static final double EFFECT_ASR = 0.20;

    private DefenseRun() {
    }

    public static DefenseOutcome run(Defense defense, Module model, Dataset cleanSet, Dataset evalTest,
                                     TriggeredTestSet triggered, PrintStream log) {
        return run(defense, model, cleanSet, evalTest, triggered, null, log);
    }

    /**
     * As above; {@code knownBefore} (when not null) is the model's metrics on these same images, measured by an
     * earlier defense of the same model, so they are not measured again.
     */
    public static DefenseOutcome run(Defense defense, Module model, Dataset cleanSet, Dataset evalTest,
                                     TriggeredTestSet triggered, Metrics knownBefore, PrintStream log) {
        Metrics before = knownBefore != null ? knownBefore : Evaluation.evaluate(model, evalTest, triggered);
        log.printf("%s: before %s%n", defense.name(), describe(before));
        Recorder recorder = new Recorder(defense.name(), evalTest, triggered, log);
        defense.purify(model, cleanSet, recorder);
        EpochRecord last = recorder.history.get(recorder.history.size() - 1);
        Metrics after = new Metrics(last.acc(), last.asr(), last.racc());
        return new DefenseOutcome(defense.name(), before, after, Der.of(before, after), recorder.history,
                last.seconds(), timeToEffect(before, recorder.history));
    }

    /**
     * The seconds until ASR first fell below {@link #EFFECT_ASR} in {@code history}: 0 when it was below
     * {@code before}, null when it never fell below or ASR was not measured.
     */
    public static Double timeToEffect(Metrics before, List<EpochRecord> history) {
        if (before.measuresAttack() && before.asr() < EFFECT_ASR) {
            return 0.0;
        }
        return history.stream().filter(r -> r.asr() != null && r.asr() < EFFECT_ASR).findFirst()
                .map(EpochRecord::seconds).orElse(null);
    }

    /** "ACC 91.70%  ASR 99.98%  R-ACC 0.02%", or ACC with "ASR not measured". */
    public static String describe(Metrics m) {
        return m.measuresAttack()
                ? String.format("ACC %.2f%%  ASR %.2f%%  R-ACC %.2f%%", 100 * m.acc(), 100 * m.asr(), 100 * m.racc())
                : String.format("ACC %.2f%%  (ASR not measured: no triggered images)", 100 * m.acc());
    }

    /**
     * Draws a progress bar per round, and after each round evaluates the model and records the history; the
     * defense's clock stops while it evaluates.
     */
    private static final class Recorder implements RoundObserver {
        private final String name;
        private final Dataset evalTest;
        private final TriggeredTestSet triggered;
        private final PrintStream log;
        private final List<EpochRecord> history = new ArrayList<>();
        private long defenseNanos;
        private long lapStart = System.nanoTime();
        private ProgressBar bar;

        Recorder(String name, Dataset evalTest, TriggeredTestSet triggered, PrintStream log) {
            this.name = name;
            this.evalTest = evalTest;
            this.triggered = triggered;
            this.log = log;
        }

        @Override
        public void afterStep(int round, int step, int steps) {
            if (bar == null) {
                bar = ProgressBars.open(name + " round " + round, steps);
            }
            bar.stepTo(step);
        }

        @Override
        public void afterRound(int round, Module model) {
            defenseNanos += System.nanoTime() - lapStart;
            if (bar != null) {
                bar.close();
                bar = null;
            }
            double seconds = defenseNanos / 1e9;
            Metrics now = Evaluation.evaluate(model, evalTest, triggered);
            history.add(new EpochRecord(round, null, now.acc(), now.asr(), now.racc(), seconds));
            log.printf("%s round %d: %s  (%.1f s)%n", name, round, describe(now), seconds);
            lapStart = System.nanoTime();
        }
    }
}
