package antidote.metric;

import java.util.Arrays;

/** Counts of (true class, predicted class) pairs: row = true class, column = prediction. */
public final class ConfusionMatrix {
    private final int numClasses;
    private final long[] counts;

    private ConfusionMatrix(int numClasses, long[] counts) {
        this.numClasses = numClasses;
        this.counts = counts;
    }

    /** The matrix of {@code predictions} against {@code labels}, one entry per image, classes 0..numClasses-1. */
    public static ConfusionMatrix of(int[] predictions, int[] labels, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses " + numClasses + " must be at least 1");
        }
        Checks.sameLength(predictions, "predictions", labels, "labels");
        Checks.classIndices(predictions, "predictions", numClasses);
        Checks.classIndices(labels, "labels", numClasses);
        long[] counts = new long[numClasses * numClasses];
        for (int i = 0; i < labels.length; i++) {
            counts[labels[i] * numClasses + predictions[i]]++;
        }
        return new ConfusionMatrix(numClasses, counts);
    }

    /** Number of classes: the matrix is numClasses x numClasses. */
    public int numClasses() {
        return numClasses;
    }

    /** Images of class {@code trueClass} predicted as {@code predictedClass}. */
    public long count(int trueClass, int predictedClass) {
        return counts[check(trueClass) * numClasses + check(predictedClass)];
    }

    /** Number of images counted. */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** Images predicted as their true class: the diagonal's sum. */
    public long correct() {
        long correct = 0;
        for (int c = 0; c < numClasses; c++) {
            correct += counts[c * numClasses + c];
        }
        return correct;
    }

    /** Share of images predicted as their true class. */
    public double accuracy() {
        return (double) correct() / total();
    }

    /** Images whose true class is {@code trueClass}: the row's sum. */
    public long support(int trueClass) {
        int row = check(trueClass) * numClasses;
        return Arrays.stream(counts, row, row + numClasses).sum();
    }

    /** Accuracy on each true class (recall); NaN for a class with no images. */
    public double[] perClassAccuracy() {
        double[] accuracy = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            accuracy[c] = (double) counts[c * numClasses + c] / support(c);
        }
        return accuracy;
    }

    /** A copy of the counts, {@code [trueClass][predictedClass]}. */
    public long[][] toArray() {
        long[][] rows = new long[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            rows[c] = Arrays.copyOfRange(counts, c * numClasses, (c + 1) * numClasses);
        }
        return rows;
    }

    /** One line per true class, counts separated by spaces. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (long[] row : toArray()) {
            text.append(Arrays.toString(row)).append('\n');
        }
        return text.toString();
    }

    private int check(int c) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException("class " + c + " is outside 0.." + (numClasses - 1));
        }
        return c;
    }
}
