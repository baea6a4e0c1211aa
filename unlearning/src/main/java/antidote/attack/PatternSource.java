package antidote.attack;

/** Produces a trigger pattern, CHW values for a given image shape: read from a user's image or made from a seed. */
@FunctionalInterface
public interface PatternSource {
    /** The pattern for images of {@code shape}: exactly {@code shape.size()} values, the same on every call. */
    float[] render(ImageShape shape);
}
