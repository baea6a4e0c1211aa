package antidote.data.format;

import antidote.data.Resize;

/**
 * How images of varying size become dataset images: resized (bilinear, see {@link Resize}) to
 * {@code height} x {@code width}, after cropping to the annotated region of interest when {@code cropToRoi}
 * is set and the format has one (GTSRB).
 */
public record ImageOptions(int height, int width, boolean cropToRoi) {
    /** 32x32, no ROI crop: the size the I-BAU and SAU reference code train on. */
    public static final ImageOptions DEFAULT = new ImageOptions(32, 32, false);

    /** Checks the sizes. */
    public ImageOptions {
        if (height < 1 || width < 1 || height > Resize.MAX_SIDE || width > Resize.MAX_SIDE) {
            throw new IllegalArgumentException("image size must be in [1, " + Resize.MAX_SIDE + "], got " + height + "x"
                    + width);
        }
    }

    /** The same options with the ROI crop switched on or off. */
    public ImageOptions withCropToRoi(boolean on) {
        return new ImageOptions(height, width, on);
    }
}
