package antidote.poison;

import java.nio.file.Path;

/** The training loss became NaN or infinite; the message says where the last good checkpoint is. */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(int epoch, int batch, double loss, Path lastGood) {
        super("training loss became " + loss + " in epoch " + epoch + ", batch " + batch + "; "
                + (lastGood == null ? "no epoch had finished, so no checkpoint was written"
                : "the last good checkpoint is kept at " + lastGood)
                + "; lower the learning rate or check the data for NaN/Inf");
    }
}
