package antidote.pipeline;

import antidote.data.Dataset;
import antidote.data.source.SearchPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Image folders as clean sets: labels from the class folders, and the images mixed across classes. */
class ImageSetsTest {
    private static final int PER_CLASS = 30;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void folderImagesAreMixedAcrossClassesWithTheirOwnLabels() throws IOException {
        for (int c = 0; c < 2; c++) {
            Files.createDirectories(dir.resolve(String.valueOf(c)));
            for (int i = 0; i < PER_CLASS; i++) {
                // The grey level says which class folder the file is in: 40 for class 0, 200 for class 1.
                writeGrey(dir.resolve(c + "/" + String.format("%03d.png", i)), c == 0 ? 40 : 200);
            }
        }
        Dataset data = ImageSets.load(DataSpec.parse("folder:" + dir), SearchPath.only(List.of()),
                new int[]{1, 4, 4}, 2, QUIET);

        assertEquals(2 * PER_CLASS, data.size());
        int firstHalfOfClassOne = 0;
        for (int i = 0; i < data.size(); i++) {
            int expectedGrey = data.label(i) == 0 ? 40 : 200;
            assertEquals(expectedGrey, Byte.toUnsignedInt(data.imageBytes(i)[0]), "image " + i);
            if (i < PER_CLASS && data.label(i) == 1) {
                firstHalfOfClassOne++;
            }
        }
        // A folder is read class by class; a batch of the first half must not be all one class (it was once, and
        // I-BAU's fixed batch order then unlearned one class at a time).
        assertTrue(firstHalfOfClassOne > 5 && firstHalfOfClassOne < PER_CLASS - 5,
                "class 1 images among the first " + PER_CLASS + ": " + firstHalfOfClassOne);
    }

    private static void writeGrey(Path file, int grey) throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.getRaster().setSample(x, y, 0, grey);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
