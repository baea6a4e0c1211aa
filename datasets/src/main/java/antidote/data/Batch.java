package antidote.data;

import antidote.backend.Backends;
import antidote.core.Device;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

/**
 * One mini-batch: images as float32 N·C·H·W values in [0, 1], their labels, and the dataset indices they
 * came from. The pixel array is built on the loader's prefetch thread; the {@link Tensor} is created on the
 * first call to {@link #images()}, on the calling thread, so device memory is never touched by the
 * background thread.
 */
public final class Batch {
    private final float[] pixels;
    private final int[] labels;
    private final int[] indices;
    private final int channels;
    private final int height;
    private final int width;
    private Tensor images;

    /** A batch over {@code pixels} (N·C·H·W, owned by the batch from now on) with one label and index per image. */
    public Batch(float[] pixels, int[] labels, int[] indices, int channels, int height, int width) {
        if (labels.length != indices.length || pixels.length != (long) labels.length * channels * height * width) {
            throw new IllegalArgumentException("batch of " + labels.length + " labels, " + indices.length + " indices and "
                    + pixels.length + " values does not match images of " + channels + "x" + height + "x" + width);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.indices = indices;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** The shape {N, C, H, W}. */
    public int[] shape() {
        return new int[] {labels.length, channels, height, width};
    }

    /** The images as a float32 N·C·H·W tensor on the default device (created once, then reused). */
    public synchronized Tensor images() {
        if (images == null) {
            images = images(Backends.defaultDevice());
        }
        return images;
    }

    /** The images as a new float32 N·C·H·W tensor on {@code device}. */
    public Tensor images(Device device) {
        return Tensor.fromArray(pixels, Shape.of(shape()), device);
    }

    /** A copy of the image values, N·C·H·W floats in [0, 1]. */
    public float[] pixels() {
        return pixels.clone();
    }

    /** The value of image {@code n}, channel {@code c}, row {@code y}, column {@code x}. */
    public float pixel(int n, int c, int y, int x) {
        return pixels[((n * channels + c) * height + y) * width + x];
    }

    /** A copy of the labels, one per image. */
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of the dataset indices the images came from. */
    public int[] indices() {
        return indices.clone();
    }
}
