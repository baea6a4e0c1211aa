package antidote.attack;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Renders a pattern once per image shape and keeps it; callers must not modify the arrays it returns. */
final class ShapeCache {
    private final PatternSource source;
    private final Map<ImageShape, float[]> byShape = new ConcurrentHashMap<>();

    ShapeCache(PatternSource source) {
        this.source = Objects.requireNonNull(source, "pattern source");
    }

    /** The pattern for {@code shape}, rendered on first use. */
    float[] get(ImageShape shape) {
        return byShape.computeIfAbsent(shape, this::render);
    }

    private float[] render(ImageShape shape) {
        float[] pattern = source.render(shape);
        if (pattern == null || pattern.length != shape.size()) {
            throw new IllegalStateException("pattern source " + source + " rendered "
                    + (pattern == null ? "null" : pattern.length + " values") + " for a " + shape
                    + " image; it must render channels*height*width = " + shape.size() + " values");
        }
        return pattern.clone();
    }
}
