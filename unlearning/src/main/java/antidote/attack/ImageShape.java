package antidote.attack;

/** The channel count, height and width of one image stored as a CHW {@code float[]}. */
public record ImageShape(int channels, int height, int width) {
    /** Checks that every dimension is at least 1 and that the image fits in one Java array. */
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width
                    + " has a dimension below 1; give channels, height and width of at least 1");
        }
        if ((long) channels * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width
                    + " has more than 2^31-1 values; images must fit in one float[]");
        }
    }

    /** Number of values in one image: channels * height * width. */
    public int size() {
        return channels * height * width;
    }

    /** Number of pixels in one channel plane: height * width. */
    public int planeSize() {
        return height * width;
    }

    /** Position of (channel, row, col) in the CHW array. */
    public int index(int channel, int row, int col) {
        return (channel * height + row) * width + col;
    }

    /** Throws unless {@code chw} holds exactly {@link #size()} values. */
    public void check(float[] chw) {
        if (chw == null) {
            throw new IllegalArgumentException("image is null; pass a CHW float[] of " + size() + " values");
        }
        if (chw.length != size()) {
            throw new IllegalArgumentException("image has " + chw.length + " values but shape " + this + " needs "
                    + size() + "; pass the image in CHW order together with its own shape");
        }
    }

    /** "CxHxW", e.g. "3x32x32". */
    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
