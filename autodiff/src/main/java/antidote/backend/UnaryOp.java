package antidote.backend;

/** Elementwise functions of one argument that every backend implements; {@code param} is used by POW and ELU. */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, ABS, RELU, TANH, SIGMOID,
    /** x^param. */
    POW,
    /** x for x > 0, param·(e^x − 1) otherwise. */
    ELU;

    /** The scalar definition in float64: the specification every backend follows. */
    public double apply(double x, double param) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case RELU -> x > 0 ? x : 0.0;
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case POW -> Math.pow(x, param);
            case ELU -> x > 0 ? x : param * Math.expm1(x);
        };
    }
}
