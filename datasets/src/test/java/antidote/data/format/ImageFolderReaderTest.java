package antidote.data.format;

import antidote.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderReaderTest {
    @TempDir
    Path root;

    private void writeImage(String path, int w, int h, int type, int rgb, String format) throws IOException {
        BufferedImage image = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, format, file.toFile()));
    }

    @Test
    void readsClassesInSortedOrderAndResizes() throws IOException {
        writeImage("zebra/b.png", 10, 12, BufferedImage.TYPE_INT_RGB, 0x102030, "png");
        writeImage("zebra/a.png", 40, 30, BufferedImage.TYPE_INT_RGB, 0x405060, "png");
        writeImage("ant/x.bmp", 8, 8, BufferedImage.TYPE_INT_RGB, 0xFF0000, "bmp");
        Files.writeString(root.resolve("ant/notes.txt"), "ignored");
        Dataset dataset = ImageFolderReader.read(root, new ImageOptions(16, 16, false), 3);
        assertEquals(List.of("ant", "zebra"), dataset.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, dataset.labels());
        assertArrayEquals(new int[] {3, 16, 16}, dataset.imageShape());
        byte[] a = dataset.imageBytes(1);
        assertEquals(0x40, a[0]);
        assertEquals(0x50, a[256]);
        assertEquals(0x60, a[512]);
        assertEquals((byte) 0xFF, dataset.imageBytes(0)[100]);
    }

    @Test
    void greyImagesGiveOneChannelWithStoredValues() throws IOException {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 2, 0, 100);
        Files.createDirectories(root.resolve("one"));
        ImageIO.write(grey, "png", root.resolve("one/g.png").toFile());
        Dataset dataset = ImageFolderReader.read(root, new ImageOptions(4, 4, false), ImageFolderReader.AUTO_CHANNELS);
        assertEquals(1, dataset.channels());
        assertEquals(100, dataset.imageBytes(0)[2 * 4 + 1]);
    }

    @Test
    void undecodableFileIsNamed() throws IOException {
        writeImage("cat/good.png", 4, 4, BufferedImage.TYPE_INT_RGB, 0, "png");
        Files.write(root.resolve("cat/bad.png"), new byte[] {1, 2, 3, 4});
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> ImageFolderReader.read(root, ImageOptions.DEFAULT, 3));
        assertTrue(e.getMessage().contains("bad.png"), e.getMessage());
    }

    @Test
    void emptyClassFolderIsRejected() throws IOException {
        writeImage("cat/good.png", 4, 4, BufferedImage.TYPE_INT_RGB, 0, "png");
        Files.createDirectories(root.resolve("dog"));
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> ImageFolderReader.read(root, ImageOptions.DEFAULT, 3));
        assertTrue(e.getMessage().contains("class folder 'dog' has no images"), e.getMessage());
    }
}
