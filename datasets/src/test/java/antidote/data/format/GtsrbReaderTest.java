package antidote.data.format;

import antidote.data.Dataset;
import antidote.data.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GtsrbReaderTest {
    @TempDir
    Path tmp;
    Path gtsrb;

    /**
     * Three classes (0, 5, 42) with images of odd sizes. Every training image is blue with a red square
     * exactly on its ROI, so cropping to the ROI gives a pure red image.
     */
    @BeforeEach
    void writeTree() throws IOException {
        gtsrb = tmp.resolve("GTSRB");
        int[][] sizes = {{31, 35}, {17, 20}, {45, 41}, {26, 29}};
        int k = 0;
        for (int classId : new int[] {0, 5, 42}) {
            String id = String.format("%05d", classId);
            Path dir = gtsrb.resolve("Final_Training/Images/" + id);
            List<String> rows = new ArrayList<>();
            for (int track = 0; track < 2; track++, k++) {
                int[] wh = sizes[k % sizes.length];
                String name = String.format("%05d_%05d.ppm", track, 0);
                writeSign(dir.resolve(name), wh[0], wh[1], 5, 6, wh[0] - 6, wh[1] - 5);
                rows.add(name + ";" + wh[0] + ";" + wh[1] + ";5;6;" + (wh[0] - 6) + ";" + (wh[1] - 5) + ";" + classId);
            }
            Fixtures.writeCsv(dir.resolve("GT-" + id + ".csv"), rows);
        }
        Path test = gtsrb.resolve("Final_Test/Images");
        writeSign(test.resolve("00000.ppm"), 53, 50, 5, 5, 47, 44);
        writeSign(test.resolve("00001.ppm"), 25, 25, 5, 5, 19, 19);
        Fixtures.writeCsv(test.resolve("GT-final_test.csv"), List.of("00000.ppm;53;50;5;5;47;44;16",
                "00001.ppm;25;25;5;5;19;19;1"));
    }

    private static void writeSign(Path file, int w, int h, int x1, int y1, int x2, int y2) throws IOException {
        byte[] rgb = Fixtures.solid(w, h, 0, 0, 255);
        for (int y = y1; y <= y2; y++) {
            for (int x = x1; x <= x2; x++) {
                rgb[3 * (y * w + x)] = (byte) 255;
                rgb[3 * (y * w + x) + 2] = 0;
            }
        }
        Fixtures.write(file, Fixtures.ppm(w, h, rgb), false);
    }

    @Test
    void readsTrainingSetResizedTo32() throws IOException {
        Dataset train = GtsrbReader.readTraining(gtsrb, ImageOptions.DEFAULT);
        assertEquals(6, train.size());
        assertArrayEquals(new int[] {3, 32, 32}, train.imageShape());
        assertArrayEquals(new int[] {0, 0, 5, 5, 42, 42}, train.labels());
        assertEquals(43, train.numClasses());
        assertEquals("Stop", train.classNames().get(14));
        byte[] image = train.imageBytes(3);
        assertEquals(0, image[0], "corner is blue: red plane 0");
        assertEquals((byte) 255, image[2048], "corner is blue: blue plane 255");
        assertEquals((byte) 255, image[16 * 32 + 16], "centre is red");
    }

    @Test
    void cropsToTheRoiFirstWhenAsked() throws IOException {
        Dataset train = GtsrbReader.readTraining(gtsrb, new ImageOptions(24, 20, true));
        assertArrayEquals(new int[] {3, 24, 20}, train.imageShape());
        for (int n = 0; n < train.size(); n++) {
            byte[] image = train.imageBytes(n);
            for (int i = 0; i < 24 * 20; i++) {
                assertEquals((byte) 255, image[i], "red everywhere inside the ROI");
                assertEquals(0, image[2 * 24 * 20 + i], "no blue inside the ROI");
            }
        }
    }

    @Test
    void readsTestSetWithItsLabels() throws IOException {
        Dataset test = GtsrbReader.readTest(gtsrb, ImageOptions.DEFAULT);
        assertArrayEquals(new int[] {16, 1}, test.labels());
        assertEquals("gtsrb/test", test.name());
    }

    @Test
    void explainsWhereTheTestLabelsComeFrom() throws IOException {
        Path images = gtsrb.resolve("Final_Test/Images");
        Files.move(images.resolve("GT-final_test.csv"), images.resolve("GT-final_test.test.csv"));
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> GtsrbReader.readTest(gtsrb, ImageOptions.DEFAULT));
        assertTrue(e.getMessage().contains("no ClassId column") && e.getMessage().contains("GTSRB_Final_Test_GT.zip"),
                e.getMessage());
    }

    @Test
    void rowNamingAMissingImageIsReportedWithCsvAndLine() throws IOException {
        Path dir = gtsrb.resolve("Final_Training/Images/00005");
        Files.delete(dir.resolve("00001_00000.ppm"));
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> GtsrbReader.readTraining(gtsrb, ImageOptions.DEFAULT));
        assertEquals(dir.resolve("GT-00005.csv"), e.file());
        assertEquals("line 3", e.location());
        assertTrue(e.getMessage().contains("names image 00001_00000.ppm, which does not exist"), e.getMessage());
    }

    @Test
    void csvSizeThatDisagreesWithTheImageIsRejected() throws IOException {
        Path test = gtsrb.resolve("Final_Test/Images");
        // The images have two sizes, so this is no pre-resized copy: the disagreement is corruption.
        Fixtures.writeCsv(test.resolve("GT-final_test.csv"), List.of("00000.ppm;53;51;5;5;47;44;16",
                "00001.ppm;25;25;5;5;19;19;1"));
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> GtsrbReader.readTest(gtsrb, ImageOptions.DEFAULT));
        assertTrue(e.getMessage().contains("is 53x51 (Width x Height), but the image is 53x50"), e.getMessage());
    }

    @Test
    void aCopyWithEveryImageResizedTo32IsReadWithTheRoiScaled() throws IOException {
        // Each test image redrawn at 32x32 with its sign on the ROI scaled from the CSV's original size.
        Path test = gtsrb.resolve("Final_Test/Images");
        writeSign(test.resolve("00000.ppm"), 32, 32, 5 * 32 / 53, 5 * 32 / 50, (48 * 32 + 52) / 53 - 1,
                (45 * 32 + 49) / 50 - 1);
        writeSign(test.resolve("00001.ppm"), 32, 32, 5 * 32 / 25, 5 * 32 / 25, (20 * 32 + 24) / 25 - 1,
                (20 * 32 + 24) / 25 - 1);
        assertArrayEquals(new int[] {16, 1}, GtsrbReader.readTest(gtsrb, ImageOptions.DEFAULT).labels());
        Dataset cropped = GtsrbReader.readTest(gtsrb, ImageOptions.DEFAULT.withCropToRoi(true));
        for (int n = 0; n < cropped.size(); n++) {
            byte[] image = cropped.imageBytes(n);
            for (int i = 0; i < 32 * 32; i++) {
                assertEquals((byte) 255, image[i], "image " + n + ": the scaled ROI holds only the red sign");
                assertEquals(0, image[2 * 32 * 32 + i], "image " + n + ": no blue inside the scaled ROI");
            }
        }
    }

    @Test
    void classIdOutsideItsFolderOrRangeIsRejected() throws IOException {
        Path dir = gtsrb.resolve("Final_Training/Images/00000");
        Fixtures.writeCsv(dir.resolve("GT-00000.csv"), List.of("00000_00000.ppm;31;35;5;6;25;30;3"));
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> GtsrbReader.readTraining(gtsrb, ImageOptions.DEFAULT));
        assertTrue(e.getMessage().contains("ClassId 3 in the folder of class 0"), e.getMessage());

        Path test = gtsrb.resolve("Final_Test/Images");
        Fixtures.writeCsv(test.resolve("GT-final_test.csv"), List.of("00000.ppm;53;50;5;5;47;44;43"));
        MalformedDataException range = assertThrows(MalformedDataException.class,
                () -> GtsrbReader.readTest(gtsrb, ImageOptions.DEFAULT));
        assertTrue(range.getMessage().contains("ClassId 43 is outside [0, 43)"), range.getMessage());
    }

    @Test
    void badCsvFieldsAndRoisAreRejected() throws IOException {
        Path test = gtsrb.resolve("Final_Test/Images");
        Fixtures.writeCsv(test.resolve("GT-final_test.csv"), List.of("00000.ppm;53;fifty;5;5;47;44;16"));
        MalformedDataException field = assertThrows(MalformedDataException.class,
                () -> GtsrbReader.readTest(gtsrb, ImageOptions.DEFAULT));
        assertTrue(field.getMessage().contains("line 2") && field.getMessage().contains("Height 'fifty'"),
                field.getMessage());

        Fixtures.writeCsv(test.resolve("GT-final_test.csv"), List.of("00000.ppm;53;50;5;5;60;44;16"));
        MalformedDataException roi = assertThrows(MalformedDataException.class,
                () -> GtsrbReader.readTest(gtsrb, new ImageOptions(32, 32, true)));
        assertTrue(roi.getMessage().contains("ROI (5, 5) .. (60, 44)"), roi.getMessage());
    }

    @Test
    void missingCsvIsNamed() throws IOException {
        Files.delete(gtsrb.resolve("Final_Training/Images/00042/GT-00042.csv"));
        IOException e = assertThrows(IOException.class, () -> GtsrbReader.readTraining(gtsrb, ImageOptions.DEFAULT));
        assertTrue(e.getMessage().contains("GT-00042.csv"), e.getMessage());
    }
}
