package antidote.attack;

/** A trigger that is much faster applied to many images at once (one network pass instead of one per image). */
public interface BatchTrigger extends Trigger {
    /**
     * The triggered copies of the {@code count} CHW images packed one after another in {@code images}, packed the
     * same way; what {@link #apply} gives for each image, up to float rounding.
     */
    float[] applyAll(float[] images, int count, ImageShape shape);
}
