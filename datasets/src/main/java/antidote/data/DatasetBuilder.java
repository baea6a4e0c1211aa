package antidote.data;

import java.util.List;
import java.util.Objects;

/** A mutable copy of a {@link Dataset}: change single images or labels, then {@link #build()} a new dataset. */
public final class DatasetBuilder {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;
    private byte[] pixels;
    private int[] labels;

    DatasetBuilder(String name, byte[] pixels, int[] labels, int channels, int height, int width,
                   List<String> classNames) {
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = classNames;
    }

    /** Number of samples. */
    public int size() {
        return live().length;
    }

    /** Values per image: C·H·W. */
    public int imageSize() {
        return channels * height * width;
    }

    /** The current image {@code index} as floats in [0, 1], C·H·W. */
    public float[] image(int index) {
        Objects.checkIndex(index, live().length);
        float[] out = new float[imageSize()];
        Pixels.toFloat(pixels, index * imageSize(), out, 0, imageSize());
        return out;
    }

    /** The current label of sample {@code index}. */
    public int label(int index) {
        return live()[Objects.checkIndex(index, labels.length)];
    }

    /** Replaces image {@code index} by {@code chw} (C·H·W floats, quantised with round(v·255), clamped to [0, 255]). */
    public DatasetBuilder setImage(int index, float[] chw) {
        checkLength(chw.length);
        Objects.checkIndex(index, live().length);
        Pixels.toByte(chw, 0, pixels, index * imageSize(), imageSize());
        return this;
    }

    /** Replaces image {@code index} by {@code chw} (C·H·W uint8 values). */
    public DatasetBuilder setImageBytes(int index, byte[] chw) {
        checkLength(chw.length);
        return setImageBytes(index, chw, 0);
    }

    /** Replaces image {@code index} by the C·H·W bytes of {@code src} starting at {@code offset}. */
    public DatasetBuilder setImageBytes(int index, byte[] src, int offset) {
        Objects.checkIndex(index, live().length);
        Objects.checkFromIndexSize(offset, imageSize(), src.length);
        System.arraycopy(src, offset, pixels, index * imageSize(), imageSize());
        return this;
    }

    /** Replaces the label of sample {@code index}. */
    public DatasetBuilder setLabel(int index, int label) {
        Objects.checkIndex(index, live().length);
        if (label < 0 || label >= classNames.size()) {
            throw new IllegalArgumentException(name + ": label " + label + " for sample " + index + " is outside [0, "
                    + classNames.size() + ")");
        }
        labels[index] = label;
        return this;
    }

    /** The edited dataset. The builder cannot be used afterwards (its arrays now belong to the dataset). */
    public Dataset build() {
        Dataset result = Dataset.of(name, pixels, live(), channels, height, width, classNames);
        pixels = null;
        labels = null;
        return result;
    }

    private int[] live() {
        if (labels == null) {
            throw new IllegalStateException("this DatasetBuilder has already built its dataset; call toBuilder() again");
        }
        return labels;
    }

    private void checkLength(int length) {
        if (length != imageSize()) {
            throw new IllegalArgumentException(name + ": an image has " + channels + "x" + height + "x" + width + " = "
                    + imageSize() + " values, got " + length);
        }
    }
}
