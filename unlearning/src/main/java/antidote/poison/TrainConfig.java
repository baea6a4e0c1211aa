package antidote.poison;

import antidote.privacy.DpSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything that determines a poisoned model: data, model, attack and its options, poison rate, training
 * budget and seed. Two runs with the same config give the same model, on any CPU thread count.
 *
 * @param trainSamples use a seeded random subset of this many training images (0: all of them)
 * @param dp           DP-SGD training with these settings, or null for ordinary training
 */
public record TrainConfig(String dataset, String model, String attack, Map<String, String> attackOptions,
                          double poisonRate, int epochs, int trainSamples, long seed, DpSettings dp) {

    /** An ordinary (non-private) training config. */
    public TrainConfig(String dataset, String model, String attack, Map<String, String> attackOptions,
                       double poisonRate, int epochs, int trainSamples, long seed) {
        this(dataset, model, attack, attackOptions, poisonRate, epochs, trainSamples, seed, null);
    }

    public TrainConfig {
        attackOptions = Map.copyOf(attackOptions);
        if (!(poisonRate >= 0 && poisonRate <= 1)) {
            throw new IllegalArgumentException("--poison-rate must be between 0 and 1, got " + poisonRate);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (trainSamples < 0) {
            throw new IllegalArgumentException("--train-samples must be >= 0 (0 means all), got " + trainSamples);
        }
    }

    /** This config trained with DP-SGD under {@code settings} instead (null: ordinary training). */
    public TrainConfig withDp(DpSettings settings) {
        return new TrainConfig(dataset, model, attack, attackOptions, poisonRate, epochs, trainSamples, seed, settings);
    }

    /** "name: theirs here, ours now" for each setting (other than the epochs) in which {@code other} differs. */
    public List<String> differencesBesidesEpochs(TrainConfig other) {
        List<String> out = new ArrayList<>();
        Map<String, Object[]> pairs = new LinkedHashMap<>();
        pairs.put("dataset", new Object[] {other.dataset, dataset});
        pairs.put("model", new Object[] {other.model, model});
        pairs.put("attack", new Object[] {other.attack, attack});
        pairs.put("attack options", new Object[] {new TreeMap<>(other.attackOptions),
                new TreeMap<>(attackOptions)});
        pairs.put("poison rate", new Object[] {other.poisonRate, poisonRate});
        pairs.put("train samples", new Object[] {other.trainSamples, trainSamples});
        pairs.put("seed", new Object[] {other.seed, seed});
        pairs.put("DP-SGD", new Object[] {other.dp, dp});
        pairs.forEach((name, pair) -> {
            if (!Objects.equals(pair[0], pair[1])) {
                out.add(name + ": " + pair[0] + " there, " + pair[1] + " now");
            }
        });
        return out;
    }

    /** A short stable key for caching trained models by configuration. */
    public String cacheKey() {
        StringBuilder sb = new StringBuilder(dataset + "_" + model + "_" + attack);
        new TreeMap<>(attackOptions).forEach((k, v) -> sb.append('_').append(k).append('=').append(v));
        sb.append("_r").append(poisonRate).append("_e").append(epochs).append("_n").append(trainSamples)
                .append("_s").append(seed);
        if (dp != null) {
            sb.append("_dp").append(dp.sampling().name().toLowerCase(java.util.Locale.ROOT)).append("_c").append(dp.clip())
                    .append("_z").append(dp.noise());
        }
        return sb.toString().replaceAll("[^A-Za-z0-9_.=-]", "-");
    }
}
