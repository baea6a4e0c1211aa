package antidote.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable in-memory image dataset: uint8 pixels laid out N·C·H·W (channel planes, rows top to
 * bottom), one label per image in [0, numClasses), and the class names. Derived datasets (subsets,
 * edits) are new objects; use {@link #toBuilder()} or {@link #withSamples} to change images or labels.
 */
public final class Dataset {
    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    private Dataset(String name, byte[] pixels, int[] labels, int channels, int height, int width,
                    List<String> classNames) {
        this.name = Objects.requireNonNull(name, "name");
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * A dataset that takes ownership of {@code pixels} and {@code labels} (they are not copied; do not
     * modify them afterwards). Checks that the sizes agree and that every label is a valid class.
     */
    public static Dataset of(String name, byte[] pixels, int[] labels, int channels, int height, int width,
                             List<String> classNames) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": image shape must be positive, got C=" + channels
                    + " H=" + height + " W=" + width);
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": a dataset needs at least one class name");
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels of " + channels + "x"
                    + height + "x" + width + " images need " + expected + " pixel bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i
                        + " is outside [0, " + classNames.size() + ")");
            }
        }
        return new Dataset(name, pixels, labels, channels, height, width, classNames);
    }

    /** Class names "0", "1", ... for datasets that ship without names. */
    public static List<String> numberedClasses(int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = Integer.toString(i);
        }
        return List.of(names);
    }

    /** A short name for messages and summaries, such as "fashion-mnist/train". */
    public String name() {
        return name;
    }

    /** The same samples under another name. */
    public Dataset withName(String newName) {
        return new Dataset(newName, pixels, labels, channels, height, width, classNames);
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Channels per image (1 for grey, 3 for RGB). */
    public int channels() {
        return channels;
    }

    /** Image height in pixels. */
    public int height() {
        return height;
    }

    /** Image width in pixels. */
    public int width() {
        return width;
    }

    /** Values per image: C·H·W. */
    public int imageSize() {
        return channels * height * width;
    }

    /** The image shape {C, H, W}. */
    public int[] imageShape() {
        return new int[] {channels, height, width};
    }

    /** Number of classes (labels lie in [0, numClasses)). */
    public int numClasses() {
        return classNames.size();
    }

    /** The class names, indexed by label. */
    public List<String> classNames() {
        return classNames;
    }

    /** The label of sample {@code index}. */
    public int label(int index) {
        Objects.checkIndex(index, labels.length);
        return labels[index];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** How many samples each class has, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** A copy of image {@code index} as uint8 values, C·H·W. */
    public byte[] imageBytes(int index) {
        Objects.checkIndex(index, labels.length);
        int n = imageSize();
        return Arrays.copyOfRange(pixels, index * n, index * n + n);
    }

    /** Image {@code index} as floats in [0, 1], C·H·W. */
    public float[] image(int index) {
        float[] out = new float[imageSize()];
        copyImage(index, out, 0);
        return out;
    }

    /** Writes image {@code index} as floats in [0, 1] into {@code dst[offset .. offset+imageSize())}. */
    public void copyImage(int index, float[] dst, int offset) {
        Objects.checkIndex(index, labels.length);
        Pixels.toFloat(pixels, index * imageSize(), dst, offset, imageSize());
    }

    /** Copies the uint8 bytes of image {@code index} into {@code dst[offset ..]}. */
    public void copyImageBytes(int index, byte[] dst, int offset) {
        Objects.checkIndex(index, labels.length);
        System.arraycopy(pixels, index * imageSize(), dst, offset, imageSize());
    }

    /** The samples at {@code indices}, in that order (repeats allowed). */
    public Dataset subset(int[] indices) {
        int n = imageSize();
        byte[] newPixels = new byte[Math.multiplyExact(indices.length, n)];
        int[] newLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = Objects.checkIndex(indices[k], labels.length);
            System.arraycopy(pixels, i * n, newPixels, k * n, n);
            newLabels[k] = labels[i];
        }
        return new Dataset(name, newPixels, newLabels, channels, height, width, classNames);
    }

    /** The samples {@code from} (inclusive) to {@code to} (exclusive), in order. */
    public Dataset slice(int from, int to) {
        Objects.checkFromToIndex(from, to, labels.length);
        int n = imageSize();
        return new Dataset(name, Arrays.copyOfRange(pixels, from * n, to * n), Arrays.copyOfRange(labels, from, to),
                channels, height, width, classNames);
    }

    /**
     * A copy in which the samples at {@code indices} get new pixels ({@code indices.length}·C·H·W uint8
     * values, in the order of {@code indices}) and, unless {@code newLabels} is null, new labels.
     * This is how a poisoning attack plants triggers.
     */
    public Dataset withSamples(int[] indices, byte[] newPixels, int[] newLabels) {
        int n = imageSize();
        if (newPixels.length != (long) indices.length * n) {
            throw new IllegalArgumentException(name + ": " + indices.length + " replaced samples need "
                    + (long) indices.length * n + " pixel bytes, got " + newPixels.length);
        }
        if (newLabels != null && newLabels.length != indices.length) {
            throw new IllegalArgumentException(name + ": " + indices.length + " replaced samples need as many labels, got "
                    + newLabels.length);
        }
        DatasetBuilder builder = toBuilder();
        for (int k = 0; k < indices.length; k++) {
            builder.setImageBytes(indices[k], newPixels, k * n);
            if (newLabels != null) {
                builder.setLabel(indices[k], newLabels[k]);
            }
        }
        return builder.build();
    }

    /** A mutable copy, to edit single images or labels and {@link DatasetBuilder#build() build} a new dataset. */
    public DatasetBuilder toBuilder() {
        return new DatasetBuilder(name, pixels.clone(), labels.clone(), channels, height, width, classNames);
    }

    /** The samples of {@code first} followed by those of {@code second}; shapes and classes must agree. */
    public static Dataset concat(Dataset first, Dataset second) {
        if (!Arrays.equals(first.imageShape(), second.imageShape()) || !first.classNames.equals(second.classNames)) {
            throw new IllegalArgumentException("cannot concatenate " + first.describe() + " and " + second.describe()
                    + ": image shapes and class names must agree");
        }
        byte[] newPixels = Arrays.copyOf(first.pixels, Math.addExact(first.pixels.length, second.pixels.length));
        System.arraycopy(second.pixels, 0, newPixels, first.pixels.length, second.pixels.length);
        int[] newLabels = Arrays.copyOf(first.labels, first.labels.length + second.labels.length);
        System.arraycopy(second.labels, 0, newLabels, first.labels.length, second.labels.length);
        return new Dataset(first.name, newPixels, newLabels, first.channels, first.height, first.width, first.classNames);
    }

    /** For example "cifar10/train: 50000 x 3x32x32, 10 classes". */
    public String describe() {
        return name + ": " + size() + " x " + channels + "x" + height + "x" + width + ", " + numClasses() + " classes";
    }

    @Override
    public String toString() {
        return "Dataset[" + describe() + "]";
    }

    /** The backing pixel array, shared with the loader of this package; never exposed outside it. */
    byte[] pixelsView() {
        return pixels;
    }

    /** The backing label array, shared with the loader of this package; never exposed outside it. */
    int[] labelsView() {
        return labels;
    }
}
