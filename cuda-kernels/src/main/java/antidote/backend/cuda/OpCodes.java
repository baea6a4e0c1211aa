package antidote.backend.cuda;

import antidote.backend.BinaryOp;
import antidote.backend.UnaryOp;

/**
 * The operation numbers of elementwise.cu's UnaryCode and BinaryCode enums. Written out rather than taken
 * from {@code ordinal()}, so that a constant added to the Java enums fails to compile here instead of
 * silently running the wrong function on the GPU.
 */
final class OpCodes {
    private OpCodes() {
    }

    static int of(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case EXP -> 1;
            case LOG -> 2;
            case SQRT -> 3;
            case ABS -> 4;
            case RELU -> 5;
            case TANH -> 6;
            case SIGMOID -> 7;
            case POW -> 8;
            case ELU -> 9;
        };
    }

    static int of(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case MAX -> 4;
            case MIN -> 5;
            case EQ -> 6;
            case NE -> 7;
            case LT -> 8;
            case LE -> 9;
            case GT -> 10;
            case GE -> 11;
        };
    }
}
