package antidote.poison;

import antidote.data.Dataset;

/**
 * Test images with the trigger applied, for ASR and R-ACC: {@code images} holds the triggered images with
 * their true labels; {@code poisonedLabels[i]} is what the backdoor wants image i classified as. Only
 * images whose poisoned label differs from their true label are included (non-target classes for
 * all-to-one attacks, every image for all-to-all).
 */
public record TriggeredTestSet(Dataset images, int[] poisonedLabels) {
}
