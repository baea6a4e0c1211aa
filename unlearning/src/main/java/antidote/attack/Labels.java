package antidote.attack;

/** Checks on class indices shared by the attacks, with messages that say how to fix them. */
final class Labels {
    private Labels() {
    }

    /** Returns {@code target} after checking it is a class index; its upper bound is checked when labels are made. */
    static int requireTarget(int target) {
        if (target < 0) {
            throw new IllegalArgumentException("target class " + target
                    + " is negative; give a class index from 0 to numClasses-1");
        }
        return target;
    }

    /** Throws unless {@code trueLabel} is a class index for {@code numClasses} classes (at least 2). */
    static void requireLabel(int trueLabel, int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a backdoor needs at least 2 classes, got numClasses = " + numClasses);
        }
        if (trueLabel < 0 || trueLabel >= numClasses) {
            throw new IllegalArgumentException("true label " + trueLabel + " is out of range for " + numClasses
                    + " classes; labels must be class indices 0.." + (numClasses - 1));
        }
    }

    /** The all-to-one rule: every image goes to {@code target}, which must be below numClasses. */
    static int allToOne(int target, int trueLabel, int numClasses) {
        requireLabel(trueLabel, numClasses);
        if (target >= numClasses) {
            throw new IllegalArgumentException("target class " + target + " is out of range for " + numClasses
                    + " classes; choose a target from 0 to " + (numClasses - 1));
        }
        return target;
    }
}
