package antidote.poison;

import antidote.data.Dataset;

/**
 * A training set with triggers planted: the dataset itself, which samples carry a trigger, and which
 * carry a noise-mode warp with their true labels (WaNet).
 */
public record PoisonedTrainingSet(Dataset dataset, int[] poisonedIndices, int[] noiseIndices) {
}
