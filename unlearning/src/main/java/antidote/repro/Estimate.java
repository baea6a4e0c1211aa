package antidote.repro;

import antidote.defense.SettingsRecord;
import antidote.pipeline.Defenses;
import antidote.pipeline.TrainRun;
import antidote.poison.Models;
import antidote.poison.TrainConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A rough forecast of a grid's duration, printed before it starts: per-image costs measured on the 2-core CPU
 * of the README's default reproduction (SmallVgg on 1x28x28 images, 1,000 clean images per cell: a training step
 * 3.3 ms per image, evaluation 0.6 ms per image of the 10,000 it measures after every round or epoch, and each
 * defense's seconds per clean image and per unit of its budget, the means of the three cells of each defense in
 * bench/RESULTS.md's session 8 default grid; a dp cell costs one more training), scaled by the model. Models
 * already in the cache cost nothing.
 */
final class Estimate {
    private static final double TRAIN_MS_PER_IMAGE = 3.3;
    private static final double EVAL_MS_PER_IMAGE = 0.6;
    private static final int EVAL_IMAGES = 10_000;
    /** A defense missing from the table below: the slowest measured, so that the forecast errs long. */
    private static final double DEFAULT_DEFENSE_MS = 43;
    /**
     * Milliseconds per clean image and per round or epoch ({@link #budget}); the trigger searches' budget is one
     * search with the default grid's search settings.
     */
    private static final Map<String, Double> DEFENSE_MS_PER_IMAGE_ROUND = Map.of("ibau", 10.7, "naive-uap", 6.0,
            "sau", 16.4, "ft", 1.8, "nc", 19.1, "tabor", 21.1, "deepinspect", 43.2, "fp", 11.3, "nad", 4.7);
    /** PreAct-ResNet18 on 3x32x32 costs about ten times SmallVgg's step (bench/RESULTS.md). */
    private static final double PREACT_FACTOR = 10;
    /** Training-set size assumed when a plan trains on all of an unknown dataset. */
    private static final int FULL_TRAIN_IMAGES = 50_000;

    private Estimate() {
    }

    /** "expected about 4.6 min (rough: ...)" for computing {@code cells}. */
    static String describe(List<Cell> cells, Path cacheDir) {
        double seconds = 0;
        Set<String> trained = new HashSet<>();
        for (Cell c : cells) {
            TrainConfig t = c.train();
            double scale = t.model().equals(Models.PREACT_RESNET18) ? PREACT_FACTOR : 1;
            seconds += scale * training(t, cacheDir, trained);
            if (c.defense().equals(Defenses.DP)) {
                // A second training, then one evaluation of the DP model. DP-SGD's step measured no dearer per image
                // than the ordinary one on the default's model and data (2 epochs of 6,000 images: 210 CPU seconds
                // with --dp, 308 without, on a loaded machine), so it is costed as the ordinary one, which errs long.
                seconds += scale * (training(c.dpTrain(), cacheDir, trained)
                        + EVAL_IMAGES * EVAL_MS_PER_IMAGE / 1000);
                continue;
            }
            int rounds = budget(c.settings());
            double perImage = DEFENSE_MS_PER_IMAGE_ROUND.getOrDefault(c.defense(), DEFAULT_DEFENSE_MS);
            seconds += scale * rounds * (c.cleanSamples() * perImage + EVAL_IMAGES * EVAL_MS_PER_IMAGE) / 1000;
        }
        return String.format(Locale.ROOT, "expected about %.1f min on a 2-core CPU for the %d cells to compute "
                + "(rough: from per-image costs of the default reproduction)", seconds / 60, cells.size());
    }

    /** Seconds to train {@code t}; 0 when the cache has it or an earlier cell trains it. */
    private static double training(TrainConfig t, Path cacheDir, Set<String> trained) {
        if (Files.exists(cacheDir.resolve(t.cacheKey()).resolve(TrainRun.MODEL)) || !trained.add(t.cacheKey())) {
            return 0;
        }
        int images = t.trainSamples() > 0 ? t.trainSamples() : FULL_TRAIN_IMAGES;
        return t.epochs() * images * TRAIN_MS_PER_IMAGE / 1000;
    }

    /** The defense's rounds or epochs: its "rounds" or "epochs" setting, else 1. */
    private static int budget(Record settings) {
        return SettingsRecord.fields(settings).stream()
                .filter(f -> f.name().equals("rounds") || f.name().equals("epochs"))
                .map(f -> (Integer) f.value()).findFirst().orElse(1);
    }
}
