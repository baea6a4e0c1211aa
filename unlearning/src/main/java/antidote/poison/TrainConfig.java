package antidote.poison;

import java.util.Map;

/**
 * Everything that determines a poisoned model: data, model, attack and its options, poison rate, training
 * budget and seed. Two runs with the same config (and thread count) give the same model.
 *
 * @param trainSamples use a seeded random subset of this many training images (0: all of them)
 */
public record TrainConfig(String dataset, String model, String attack, Map<String, String> attackOptions,
                          double poisonRate, int epochs, int trainSamples, long seed) {

    public TrainConfig {
        attackOptions = Map.copyOf(attackOptions);
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (trainSamples < 0) {
            throw new IllegalArgumentException("--train-samples must be >= 0 (0 means all), got " + trainSamples);
        }
    }

    /** A short stable key for caching trained models by configuration. */
    public String cacheKey() {
        StringBuilder sb = new StringBuilder(dataset + "_" + model + "_" + attack);
        new java.util.TreeMap<>(attackOptions).forEach((k, v) -> sb.append('_').append(k).append('=').append(v));
        sb.append("_r").append(poisonRate).append("_e").append(epochs).append("_n").append(trainSamples)
                .append("_s").append(seed);
        return sb.toString().replaceAll("[^A-Za-z0-9_.=-]", "-");
    }
}
