package antidote.repro;

import antidote.pipeline.Defenses;
import antidote.pipeline.TrainRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forecast printed before a grid starts, against the default reproduction's measured duration. */
class EstimateTest {
    /** bench/RESULTS.md, session 8: the default reproduction from an empty cache on the idle 2-core machine. */
    private static final double MEASURED_MINUTES = 12 + 57 / 60.0;

    @Test
    void theDefaultGridsForecastIsWithinAQuarterOfItsMeasuredDuration(@TempDir Path emptyCache) {
        Plan plan = Plan.defaults();
        Map<String, Cell> distinct = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            distinct.put(c.hash(), c);
        }
        for (Cell c : plan.stabilityCells()) {
            distinct.put(c.hash(), c);
        }
        String forecast = Estimate.describe(new ArrayList<>(distinct.values()), emptyCache);
        double minutes = minutes(forecast);
        assertTrue(minutes > MEASURED_MINUTES / 1.25 && minutes < MEASURED_MINUTES * 1.25,
                "forecast " + minutes + " min, measured " + MEASURED_MINUTES + ": " + forecast);
    }

    @Test
    void aModelAlreadyInTheCacheCostsNothing(@TempDir Path cache) throws IOException {
        List<Cell> cells = Plan.defaults().cells();
        double empty = minutes(Estimate.describe(cells, cache));
        Path model = cache.resolve(cells.get(0).train().cacheKey()).resolve(TrainRun.MODEL);
        Files.createDirectories(model.getParent());
        Files.writeString(model, "");
        double withModel = minutes(Estimate.describe(cells, cache));
        assertTrue(withModel < empty, withModel + " min with one model cached vs " + empty + " without");
    }

    @Test
    void aDpCellCostsItsDpSgdTrainingUntilTheCacheHasThatModel(@TempDir Path cache) throws IOException {
        Plan d = Plan.defaults();
        Plan dp = new Plan(d.datasets(), d.model(), d.attacks(), d.poisonRates(), d.seeds(), d.epochs(),
                d.trainSamples(), List.of(Defenses.DP), d.cleanSamples(), d.settings(), 0);
        for (Cell c : dp.cells()) {
            Path ordinary = cache.resolve(c.train().cacheKey()).resolve(TrainRun.MODEL);
            Files.createDirectories(ordinary.getParent());
            Files.writeString(ordinary, "");
        }
        double untrained = minutes(Estimate.describe(dp.cells(), cache));
        for (Cell c : dp.cells()) {
            Path model = cache.resolve(c.dpTrain().cacheKey()).resolve(TrainRun.MODEL);
            Files.createDirectories(model.getParent());
            Files.writeString(model, "");
        }
        double trained = minutes(Estimate.describe(dp.cells(), cache));
        assertTrue(untrained > 2 * trained, untrained + " min before the DP models are cached, " + trained + " after");
    }

    private static double minutes(String forecast) {
        Matcher m = Pattern.compile("about ([0-9.]+) min").matcher(forecast);
        assertTrue(m.find(), forecast);
        return Double.parseDouble(m.group(1));
    }
}
