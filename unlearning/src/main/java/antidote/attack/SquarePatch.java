package antidote.attack;

/**
 * A filled square of side {@code size} whose top-left pixel is at ({@code row}, {@code col}), set to {@code value} on
 * every channel: the BadNets trigger. A negative row or column counts from the bottom or right edge, as Python does:
 * {@code row = -3} is row {@code height - 3}.
 */
public record SquarePatch(int size, int row, int col, float value) implements Trigger {
    /** Side of the default square: 3 pixels (DESIGN.md section 7). */
    public static final int DEFAULT_SIZE = 3;
    /** Value of the default square on every channel: white. */
    public static final float DEFAULT_VALUE = 1f;

    /** Checks that the side is at least 1 pixel and the value is in [0,1]. */
    public SquarePatch {
        if (size < 1) {
            throw new IllegalArgumentException("square trigger size " + size + " must be at least 1 pixel");
        }
        if (!(value >= 0f && value <= 1f)) {
            throw new IllegalArgumentException("square trigger value " + value
                    + " is outside [0,1]; images hold values in [0,1] (1 is white)");
        }
    }

    /** A white square of side {@code size} in the bottom-right corner: rows/cols 29..31 of 32x32 for size 3. */
    public static SquarePatch bottomRight(int size) {
        return new SquarePatch(size, -size, -size, DEFAULT_VALUE);
    }

    /** The default BadNets square: {@code bottomRight(DEFAULT_SIZE)}. */
    public static SquarePatch standard() {
        return bottomRight(DEFAULT_SIZE);
    }

    @Override
    public float[] apply(float[] chw, ImageShape shape, int sampleIndex) {
        shape.check(chw);
        int top = start(row, shape.height(), "row", shape);
        int left = start(col, shape.width(), "column", shape);
        float[] out = Pixels.clipInPlace(chw.clone());
        for (int c = 0; c < shape.channels(); c++) {
            for (int r = top; r < top + size; r++) {
                for (int x = left; x < left + size; x++) {
                    out[shape.index(c, r, x)] = value;
                }
            }
        }
        return out;
    }

    private int start(int position, int extent, String axis, ImageShape shape) {
        int first = position < 0 ? extent + position : position;
        if (first < 0 || first + size > extent) {
            throw new IllegalArgumentException("a " + size + "x" + size + " square at " + axis + " " + position
                    + " does not fit a " + shape + " image; use a smaller size or move it (negative positions count "
                    + "from the bottom/right edge, e.g. -" + size + " for the last " + size + " pixels)");
        }
        return first;
    }
}
