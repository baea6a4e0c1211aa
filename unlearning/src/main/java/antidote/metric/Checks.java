package antidote.metric;

/** Argument checks shared by the metrics, with messages that say how to fix them. */
final class Checks {
    private Checks() {
    }

    /** Throws unless {@code first} and {@code second} have the same, non-zero length. */
    static void sameLength(int[] first, String firstName, int[] second, String secondName) {
        if (first.length != second.length) {
            throw new IllegalArgumentException(firstName + " has " + first.length + " entries but " + secondName
                    + " has " + second.length + "; pass one entry per image to both");
        }
        if (first.length == 0) {
            throw new IllegalArgumentException(firstName + " and " + secondName
                    + " are empty; a metric needs at least one image");
        }
    }

    /** Throws unless every entry of {@code classes} is a class index below {@code numClasses}. */
    static void classIndices(int[] classes, String name, int numClasses) {
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= numClasses) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + classes[i] + " is outside 0.."
                        + (numClasses - 1) + " (numClasses = " + numClasses + "); pass class indices, e.g. the argmax");
            }
        }
    }
}
