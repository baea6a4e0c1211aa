package antidote.attack;

/** Stamps a trigger on an image: returns a new CHW image in [0,1] and never changes its input. */
@FunctionalInterface
public interface Trigger {
    /**
     * The triggered copy of {@code chw}. {@code sampleIndex} is the image's index in its data set; attacks with
     * per-sample randomness derive it from their seed and this index, the others ignore it.
     */
    float[] apply(float[] chw, ImageShape shape, int sampleIndex);
}
