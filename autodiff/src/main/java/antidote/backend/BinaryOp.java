package antidote.backend;

/** Elementwise functions of two broadcast arguments; comparisons return 1 or 0 in the inputs' dtype. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN, EQ, NE, LT, LE, GT, GE;

    /** The scalar definition in float64: the specification every backend follows. */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            // Ties and NaN handling follow Math.max/min: NaN propagates.
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
        };
    }
}
