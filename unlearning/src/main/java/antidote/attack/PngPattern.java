package antidote.attack;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A pattern read from a user's image file (PNG, or any format javax.imageio decodes), resized bilinearly to each image
 * shape. Stored sample values are used as they are (value / max), like {@code imageio.imread(f) / 255}; alpha is
 * ignored. A grayscale file is copied to every channel; a colour file fits RGB images, and becomes its luminance
 * (0.299 R + 0.587 G + 0.114 B) for one-channel images.
 */
public final class PngPattern implements PatternSource {
    private final Path file;
    private final int components;
    private final int height;
    private final int width;
    private final float[] planes;

    /** Reads {@code file} now, so that a missing or undecodable file fails when the attack is built. */
    public PngPattern(Path file) {
        this.file = file;
        BufferedImage image = read(file);
        this.height = image.getHeight();
        this.width = image.getWidth();
        this.components = image.getColorModel().getNumColorComponents() == 1 ? 1 : 3;
        this.planes = image.getColorModel() instanceof IndexColorModel && components == 3
                ? paletteColours(image)
                : storedSamples(image);
    }

    @Override
    public float[] render(ImageShape shape) {
        float[] resized = Resample.resize(planes, components, height, width, shape.height(), shape.width());
        if (components == shape.channels()) {
            return resized;
        }
        if (components == 3 && shape.channels() != 1) {
            throw new IllegalArgumentException("trigger image " + file + " has 3 colour channels but the images have "
                    + shape.channels() + "; give a grayscale trigger image (it is copied to every channel)");
        }
        int plane = shape.planeSize();
        float[] single = components == 1 ? resized : luminance(resized, plane);
        float[] out = new float[shape.size()];
        for (int c = 0; c < shape.channels(); c++) {
            System.arraycopy(single, 0, out, c * plane, plane);
        }
        return out;
    }

    @Override
    public String toString() {
        return "PngPattern[" + file + ", " + components + "x" + height + "x" + width + "]";
    }

    private static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read trigger image " + file
                    + ": no readable file there; give the path of a PNG file");
        }
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new IllegalArgumentException("cannot read trigger image " + file
                        + ": javax.imageio does not recognise it as an image; save the trigger as a PNG");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trigger image " + file + " (" + e.getMessage()
                    + "); check that the file is a complete, uncorrupted PNG", e);
        }
    }

    /** A palette holds no raw samples: its entries are sRGB colours. */
    private float[] paletteColours(BufferedImage image) {
        float[] out = new float[3 * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    out[(c * height + y) * width + x] = ((rgb >> (16 - 8 * c)) & 0xff) / 255f;
                }
            }
        }
        return out;
    }

    /** The first {@code components} stored bands (gray, or R G B), each divided by its largest value. */
    private float[] storedSamples(BufferedImage image) {
        float[] out = new float[components * height * width];
        Raster raster = image.getRaster();
        for (int c = 0; c < components; c++) {
            float max = (1 << raster.getSampleModel().getSampleSize(c)) - 1f;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[(c * height + y) * width + x] = raster.getSample(x, y, c) / max;
                }
            }
        }
        return out;
    }

    private static float[] luminance(float[] rgb, int plane) {
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) {
            out[i] = (float) (0.299 * rgb[i] + 0.587 * rgb[plane + i] + 0.114 * rgb[2 * plane + i]);
        }
        return out;
    }
}
