package antidote.attack;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small images for the attack tests. */
final class TestImages {
    private TestImages() {
    }

    /** Every value equal to {@code value}. */
    static float[] constant(ImageShape shape, float value) {
        float[] image = new float[shape.size()];
        Arrays.fill(image, value);
        return image;
    }

    /** Uniform values in [0,1) from {@code seed}. */
    static float[] random(ImageShape shape, long seed) {
        Random random = new Random(seed);
        float[] image = new float[shape.size()];
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextFloat();
        }
        return image;
    }

    /** Value {@code col / (width - 1)} everywhere: a horizontal ramp from 0 to 1. */
    static float[] horizontalRamp(ImageShape shape) {
        float[] image = new float[shape.size()];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % shape.width()) / (shape.width() - 1f);
        }
        return image;
    }

    /** Writes an 8-bit RGB PNG whose pixel (x, y) has the colour {@code rgb[y][x]} (0xRRGGBB). */
    static Path writeRgbPng(Path file, int[][] rgb) {
        BufferedImage image = new BufferedImage(rgb[0].length, rgb.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rgb.length; y++) {
            for (int x = 0; x < rgb[0].length; x++) {
                image.setRGB(x, y, rgb[y][x]);
            }
        }
        return write(file, image);
    }

    /** Writes an 8-bit grayscale PNG whose pixel (x, y) has the value {@code gray[y][x]} (0..255). */
    static Path writeGrayPng(Path file, int[][] gray) {
        BufferedImage image = new BufferedImage(gray[0].length, gray.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < gray.length; y++) {
            for (int x = 0; x < gray[0].length; x++) {
                image.getRaster().setSample(x, y, 0, gray[y][x]);
            }
        }
        return write(file, image);
    }

    private static Path write(Path file, BufferedImage image) {
        try {
            ImageIO.write(image, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
