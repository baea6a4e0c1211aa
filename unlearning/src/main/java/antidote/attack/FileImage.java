package antidote.attack;

import antidote.data.Resize;
import antidote.data.format.ImageFolderReader;
import antidote.data.format.RgbImage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A whole picture read from a user's PNG, JPEG, BMP, GIF or PPM file and resized (PIL's bilinear filter, as
 * torchvision's Resize) to each image shape: RGB for 3 channels, its luma (PIL's "L") for one channel.
 */
final class FileImage implements PatternSource {
    private final Path file;
    private final RgbImage rgb;

    /** Decodes {@code file} now, so that a missing or undecodable file fails when the attack is built. */
    FileImage(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read image " + file
                    + ": no readable file there; give the path of a PNG, JPEG or PPM file");
        }
        this.file = file;
        try {
            this.rgb = ImageFolderReader.decode(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public float[] render(ImageShape shape) {
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("image " + file + " is a picture (RGB or grey) but the images have "
                    + shape.channels() + " channels; a picture fits 1- or 3-channel images only");
        }
        int plane = shape.planeSize();
        byte[] resized = Resize.bilinear(rgb.toChw(), 3, rgb.height(), rgb.width(), shape.height(), shape.width());
        float[] out = new float[shape.size()];
        for (int i = 0; i < plane; i++) {
            int r = resized[i] & 0xFF;
            int g = resized[plane + i] & 0xFF;
            int b = resized[2 * plane + i] & 0xFF;
            if (shape.channels() == 1) {
                out[i] = ((r * 299 + g * 587 + b * 114 + 500) / 1000) / 255f;
            } else {
                out[i] = r / 255f;
                out[plane + i] = g / 255f;
                out[2 * plane + i] = b / 255f;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "FileImage[" + file + ", " + rgb.width() + "x" + rgb.height() + "]";
    }
}
