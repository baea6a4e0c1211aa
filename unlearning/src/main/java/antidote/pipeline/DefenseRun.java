package antidote.pipeline;

import antidote.data.Dataset;
import antidote.defense.Defense;
import antidote.metric.Der;
import antidote.metric.Metrics;
import antidote.nn.Module;
import antidote.poison.EpochRecord;
import antidote.poison.Evaluation;
import antidote.poison.TriggeredTestSet;

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
        Metrics before = Evaluation.evaluate(model, evalTest, triggered);
        log.printf("%s: before ACC %.2f%%  ASR %.2f%%  R-ACC %.2f%%%n", defense.name(), 100 * before.acc(),
                100 * before.asr(), 100 * before.racc());
        List<EpochRecord> history = new ArrayList<>();
        long[] defenseNanos = {0};
        long[] lapStart = {System.nanoTime()};
        Double[] timeToEffect = {null};
        defense.purify(model, cleanSet, (round, m) -> {
            defenseNanos[0] += System.nanoTime() - lapStart[0];
            double seconds = defenseNanos[0] / 1e9;
            Metrics now = Evaluation.evaluate(m, evalTest, triggered);
            history.add(new EpochRecord(round, Double.NaN, now.acc(), now.asr(), now.racc(), seconds));
            if (timeToEffect[0] == null && now.asr() < EFFECT_ASR) {
                timeToEffect[0] = seconds;
            }
            log.printf("%s round %d: ACC %.2f%%  ASR %.2f%%  R-ACC %.2f%%  (%.1f s)%n", defense.name(), round,
                    100 * now.acc(), 100 * now.asr(), 100 * now.racc(), seconds);
            lapStart[0] = System.nanoTime();
        });
        EpochRecord last = history.get(history.size() - 1);
        Metrics after = new Metrics(last.acc(), last.asr(), last.racc());
        return new DefenseOutcome(defense.name(), before, after, Der.of(before, after), history, last.seconds(),
                timeToEffect[0]);
    }
}
