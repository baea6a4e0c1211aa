package antidote.metric;

import java.util.Arrays;

/**
 * ACC, ASR and R-ACC from prediction arrays. For ASR and R-ACC, {@code poisonedLabels[i]} is the label the backdoor
 * wants for triggered image i; images whose poisoned label equals their true label (target-class images of an
 * all-to-one attack) are left out, so all-to-one counts non-target images and all-to-all counts every image.
 */
public final class Scores {
    private Scores() {
    }

    /** ACC: the share of images predicted as their label. */
    public static double accuracy(int[] predictions, int[] labels) {
        Checks.sameLength(predictions, "predictions", labels, "labels");
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /** ASR: among triggered images whose poisoned label differs from their true label, the share predicted poisoned. */
    public static double attackSuccessRate(int[] predictions, int[] labels, int[] poisonedLabels) {
        return shareOfCounted(predictions, labels, poisonedLabels, poisonedLabels);
    }

    /** ASR of an all-to-one attack: the share of triggered non-target images predicted as {@code target}. */
    public static double attackSuccessRate(int[] predictions, int[] labels, int target) {
        int[] poisoned = new int[labels.length];
        Arrays.fill(poisoned, target);
        return attackSuccessRate(predictions, labels, poisoned);
    }

    /** R-ACC: among the images ASR counts, the share of triggered images still predicted as their true label. */
    public static double robustAccuracy(int[] predictions, int[] labels, int[] poisonedLabels) {
        return shareOfCounted(predictions, labels, poisonedLabels, labels);
    }

    /** Among images with poisoned label != label, the share whose prediction equals {@code wanted}. */
    private static double shareOfCounted(int[] predictions, int[] labels, int[] poisonedLabels, int[] wanted) {
        Checks.sameLength(predictions, "predictions", labels, "labels");
        Checks.sameLength(poisonedLabels, "poisonedLabels", labels, "labels");
        int counted = 0;
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (poisonedLabels[i] != labels[i]) {
                counted++;
                if (predictions[i] == wanted[i]) {
                    hits++;
                }
            }
        }
        if (counted == 0) {
            throw new IllegalArgumentException("no image counts for ASR or R-ACC: every poisoned label equals its true"
                    + " label; evaluate on triggered images from classes other than the target");
        }
        return (double) hits / counted;
    }
}
