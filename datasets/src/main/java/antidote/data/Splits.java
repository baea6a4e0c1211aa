package antidote.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Deterministic seeded splits, for example the defender's clean set and a held-out test split. */
public final class Splits {
    private Splits() {
    }

    /** The first {@code count} samples, then the rest (the I-BAU reference code's "first half of the test set"). */
    public static Split head(Dataset dataset, int count) {
        checkCount(dataset, count);
        int[] first = range(0, count);
        int[] second = range(count, dataset.size());
        return new Split(dataset.slice(0, count), dataset.slice(count, dataset.size()), first, second);
    }

    /** {@code count} samples drawn uniformly without replacement with {@code seed}, then the rest. */
    public static Split random(Dataset dataset, int count, long seed) {
        checkCount(dataset, count);
        int[] perm = Seeds.permutation(dataset.size(), Seeds.derive(seed));
        return make(dataset, Arrays.copyOf(perm, count), Arrays.copyOfRange(perm, count, perm.length));
    }

    /** A share {@code fraction} in [0, 1] of the samples (rounded to the nearest count) drawn with {@code seed}, then the rest. */
    public static Split random(Dataset dataset, double fraction, long seed) {
        return random(dataset, countOf(fraction, dataset.size()), seed);
    }

    /**
     * Per class, a share {@code fraction} of its samples (rounded to the nearest count) drawn with {@code seed},
     * then the rest; both parts keep the class proportions.
     */
    public static Split stratified(Dataset dataset, double fraction, long seed) {
        countOf(fraction, dataset.size());
        int[] labels = dataset.labelsView();
        int[] counts = dataset.classCounts();
        int[] firstMask = new int[dataset.size()];
        SplittableRandom rng = Seeds.derive(seed);
        for (int c = 0; c < counts.length; c++) {
            int[] members = new int[counts[c]];
            int m = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members[m++] = i;
                }
            }
            int[] perm = Seeds.permutation(members.length, rng);
            int take = (int) Math.round(fraction * members.length);
            for (int k = 0; k < take; k++) {
                firstMask[members[perm[k]]] = 1;
            }
        }
        int firstCount = Arrays.stream(firstMask).sum();
        int[] first = new int[firstCount];
        int[] second = new int[dataset.size() - firstCount];
        for (int i = 0, a = 0, b = 0; i < firstMask.length; i++) {
            if (firstMask[i] == 1) {
                first[a++] = i;
            } else {
                second[b++] = i;
            }
        }
        return make(dataset, first, second);
    }

    private static Split make(Dataset dataset, int[] first, int[] second) {
        Arrays.sort(first);
        Arrays.sort(second);
        return new Split(dataset.subset(first), dataset.subset(second), first, second);
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static int countOf(double fraction, int size) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("split fraction must be in [0, 1], got " + fraction);
        }
        return (int) Math.round(fraction * size);
    }

    private static void checkCount(Dataset dataset, int count) {
        if (count < 0 || count > dataset.size()) {
            throw new IllegalArgumentException("cannot take " + count + " samples from " + dataset.describe());
        }
    }
}
