package antidote.defense;

/** A defense's loss became NaN or infinite; the message names the defense, the round and the batch. */
public class DivergenceException extends RuntimeException {
    public DivergenceException(String defense, int round, int batch, double loss) {
        super(defense + ": loss became " + loss + " in round " + round + ", batch " + batch
                + "; lower the learning rate or check the input data for NaN/Inf (the input checkpoint is untouched)");
    }

    /** Throws when {@code loss} is not finite. */
    public static void check(String defense, int round, int batch, double loss) {
        if (!Double.isFinite(loss)) {
            throw new DivergenceException(defense, round, batch, loss);
        }
    }
}
