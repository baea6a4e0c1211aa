package antidote.data.format;

import antidote.data.Dataset;
import antidote.data.Resize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the German Traffic Sign Recognition Benchmark as distributed: {@code Final_Training/Images/000NN/}
 * with {@code GT-000NN.csv} per class, and {@code Final_Test/Images/} with {@code GT-final_test.csv} (from
 * GTSRB_Final_Test_GT.zip). Each PPM is optionally cropped to its annotated ROI, then resized bilinearly.
 * The CSV's Width and Height must match the image, except in a pre-resized copy (every image of the split
 * has one size: accepted with a warning, the ROI scaled), and the training ClassId must match its folder.
 */
public final class GtsrbReader {
    /** Number of sign classes. */
    public static final int NUM_CLASSES = 43;
    /** The sign names, indexed by ClassId (the widely used signnames.csv). */
    public static final List<String> CLASS_NAMES = List.of("Speed limit (20km/h)", "Speed limit (30km/h)",
            "Speed limit (50km/h)", "Speed limit (60km/h)", "Speed limit (70km/h)", "Speed limit (80km/h)",
            "End of speed limit (80km/h)", "Speed limit (100km/h)", "Speed limit (120km/h)", "No passing",
            "No passing for vehicles over 3.5 metric tons", "Right-of-way at the next intersection", "Priority road",
            "Yield", "Stop", "No vehicles", "Vehicles over 3.5 metric tons prohibited", "No entry", "General caution",
            "Dangerous curve to the left", "Dangerous curve to the right", "Double curve", "Bumpy road",
            "Slippery road", "Road narrows on the right", "Road work", "Traffic signals", "Pedestrians",
            "Children crossing", "Bicycles crossing", "Beware of ice/snow", "Wild animals crossing",
            "End of all speed and passing limits", "Turn right ahead", "Turn left ahead", "Ahead only",
            "Go straight or right", "Go straight or left", "Keep right", "Keep left", "Roundabout mandatory",
            "End of no passing", "End of no passing by vehicles over 3.5 metric tons");
    /** Where the annotated test CSV may be put, relative to the GTSRB folder, in search order. */
    public static final List<String> TEST_CSV_PLACES = List.of("Final_Test/Images/GT-final_test.csv",
            "Final_Test/GT-final_test.csv", "GT-final_test.csv", "../GT-final_test.csv");
    private static final String TRAIN_FIX = "Re-extract GTSRB_Final_Training_Images.zip from "
            + "https://benchmark.ini.rub.de/gtsrb_dataset.html";
    private static final String TEST_FIX = "Extract GTSRB_Final_Test_Images.zip, and GT-final_test.csv from "
            + "GTSRB_Final_Test_GT.zip into Final_Test/Images/ (both from https://benchmark.ini.rub.de/gtsrb_dataset.html)";

    private GtsrbReader() {
    }

    /** Reads {@code gtsrb}/Final_Training/Images (gtsrb is the folder the official zip creates, "GTSRB"). */
    public static Dataset readTraining(Path gtsrb, ImageOptions options) throws IOException {
        Path images = gtsrb.resolve("Final_Training").resolve("Images");
        if (!Files.isDirectory(images)) {
            throw new MalformedDataException(images, "", "this folder does not exist", TRAIN_FIX + " into " + gtsrb.getParent());
        }
        List<Path> classDirs;
        try (Stream<Path> list = Files.list(images)) {
            classDirs = list.filter(Files::isDirectory).filter(p -> p.getFileName().toString().matches("\\d{5}"))
                    .sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new MalformedDataException(images, "", "no class folders (00000 .. 00042) here", TRAIN_FIX);
        }
        List<Sample> samples = new ArrayList<>();
        for (Path dir : classDirs) {
            String id = dir.getFileName().toString();
            int classId = Integer.parseInt(id);
            if (classId >= NUM_CLASSES) {
                throw new MalformedDataException(dir, "", "class folder " + id + " is beyond the " + NUM_CLASSES
                        + " GTSRB classes", "Remove it; " + TRAIN_FIX);
            }
            Path csv = dir.resolve("GT-" + id + ".csv");
            DataFiles.requireFile(csv, "Every class folder of the official archive has its GT-" + id + ".csv. " + TRAIN_FIX);
            for (GtsrbCsv.Row row : GtsrbCsv.read(csv, TRAIN_FIX)) {
                if (row.classId() != classId) {
                    throw new MalformedDataException(csv, "line " + row.line(), "ClassId " + row.classId() + " in the folder of class "
                            + classId, TRAIN_FIX);
                }
                samples.add(new Sample(csv, dir, row));
            }
        }
        return decode("gtsrb/train", samples, options, TRAIN_FIX);
    }

    /** Reads {@code gtsrb}/Final_Test/Images with the labels of GT-final_test.csv (see {@link #TEST_CSV_PLACES}). */
    public static Dataset readTest(Path gtsrb, ImageOptions options) throws IOException {
        Path images = gtsrb.resolve("Final_Test").resolve("Images");
        if (!Files.isDirectory(images)) {
            throw new MalformedDataException(images, "", "this folder does not exist", TEST_FIX);
        }
        Path csv = null;
        for (String place : TEST_CSV_PLACES) {
            Path candidate = gtsrb.resolve(place).normalize();
            if (Files.isRegularFile(candidate)) {
                csv = candidate;
                break;
            }
        }
        if (csv == null) {
            String unlabelled = Files.isRegularFile(images.resolve("GT-final_test.test.csv"))
                    ? " (GT-final_test.test.csv is there, but it has no ClassId column: the labels come separately)" : "";
            throw new MalformedDataException(images, "", "no GT-final_test.csv with the test labels" + unlabelled
                    + "; looked in " + TEST_CSV_PLACES.stream().map(p -> gtsrb.resolve(p).normalize().toString()).toList(),
                    TEST_FIX);
        }
        List<Sample> samples = new ArrayList<>();
        for (GtsrbCsv.Row row : GtsrbCsv.read(csv, TEST_FIX)) {
            samples.add(new Sample(csv, images, row));
        }
        return decode("gtsrb/test", samples, options, TEST_FIX);
    }

    /** An annotation row with the CSV it came from and the folder its image is in. */
    private record Sample(Path csv, Path dir, GtsrbCsv.Row row) {
    }

    private static Dataset decode(String name, List<Sample> samples, ImageOptions options, String fix) throws IOException {
        int imageSize = 3 * options.height() * options.width();
        if ((long) samples.size() * imageSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": " + samples.size() + " images of " + options.height() + "x"
                    + options.width() + " do not fit in one dataset; choose a smaller image size");
        }
        byte[] pixels = new byte[samples.size() * imageSize];
        int[] labels = new int[samples.size()];
        SizeCheck sizes = new SizeCheck();
        for (int n = 0; n < samples.size(); n++) {
            Sample sample = samples.get(n);
            GtsrbCsv.Row row = sample.row();
            String where = "line " + row.line();
            if (row.classId() >= NUM_CLASSES) {
                throw new MalformedDataException(sample.csv(), where, "ClassId " + row.classId() + " is outside [0, "
                        + NUM_CLASSES + ")", fix);
            }
            Path file = sample.dir().resolve(row.filename());
            if (!Files.isRegularFile(file)) {
                throw new MalformedDataException(sample.csv(), where, "names image " + row.filename()
                        + ", which does not exist in " + sample.dir(), fix);
            }
            RgbImage image = PpmReader.read(file);
            sizes.see(sample, image, fix);
            int[] box = options.cropToRoi() ? roi(image, sample, fix) : new int[] {0, 0, image.width(), image.height()};
            byte[] resized = Resize.bilinear(image.toChw(box[0], box[1], box[2], box[3]), 3, box[3] - box[1],
                    box[2] - box[0], options.height(), options.width());
            System.arraycopy(resized, 0, pixels, n * imageSize, imageSize);
            labels[n] = row.classId();
        }
        sizes.finish(name, options);
        return Dataset.of(name, pixels, labels, 3, options.height(), options.width(), CLASS_NAMES);
    }

    /**
     * Tells a pre-resized copy from a corrupt one. A common public copy of GTSRB has every image resized to one
     * size (32x32) while its CSVs keep the original Width, Height and ROI: images that disagree with their CSV
     * are accepted (with one warning, the ROI scaled to the image) when every image of the split has one size;
     * otherwise the first disagreement is refused as corruption.
     */
    private static final class SizeCheck {
        private int width = -1;
        private int height = -1;
        private boolean uniform = true;
        private MalformedDataException firstMismatch;
        private String example;

        void see(Sample sample, RgbImage image, String fix) throws MalformedDataException {
            if (width < 0) {
                width = image.width();
                height = image.height();
            }
            uniform &= image.width() == width && image.height() == height;
            GtsrbCsv.Row row = sample.row();
            if (firstMismatch == null && (image.width() != row.width() || image.height() != row.height())) {
                firstMismatch = new MalformedDataException(sample.csv(), "line " + row.line(), "says " + row.filename()
                        + " is " + row.width() + "x" + row.height() + " (Width x Height), but the image is "
                        + image.width() + "x" + image.height(), fix);
                example = sample.csv().getFileName() + " line " + row.line() + " gives " + row.filename() + " as "
                        + row.width() + "x" + row.height();
            }
            if (firstMismatch != null && !uniform) {
                throw firstMismatch;
            }
        }

        void finish(String name, ImageOptions options) {
            if (firstMismatch != null) {
                System.err.println("antidote: warning: " + name + ": every image is " + width + "x" + height
                        + " but the CSVs give other sizes (" + example + "): read as a pre-resized copy, " + (options.cropToRoi() ? "ROI scaled to the image"
                        : "ROI not used"));
            }
        }
    }

    /**
     * The ROI as {x0, y0, x1, y1} with exclusive ends, in the image's pixels. The CSV's corners X1..X2, Y1..Y2 are
     * inclusive and refer to the CSV's Width x Height (a pre-resized image gets them scaled); a corner one past the
     * last pixel is clipped, since some annotation tools write exclusive ends.
     */
    private static int[] roi(RgbImage image, Sample sample, String fix) throws IOException {
        GtsrbCsv.Row row = sample.row();
        if (row.x1() > row.x2() || row.y1() > row.y2() || row.x1() >= row.width() || row.y1() >= row.height()
                || row.x2() > row.width() || row.y2() > row.height()) {
            throw new MalformedDataException(sample.csv(), "line " + row.line(), "ROI (" + row.x1() + ", " + row.y1()
                    + ") .. (" + row.x2() + ", " + row.y2() + ") is empty or outside the " + row.width() + "x"
                    + row.height() + " image " + row.filename(), fix + ", or read without cropping to the ROI");
        }
        int x0 = row.x1() * image.width() / row.width();
        int y0 = row.y1() * image.height() / row.height();
        int x1 = Math.min(ceilDiv((row.x2() + 1) * image.width(), row.width()), image.width());
        int y1 = Math.min(ceilDiv((row.y2() + 1) * image.height(), row.height()), image.height());
        return new int[] {x0, y0, Math.max(x1, x0 + 1), Math.max(y1, y0 + 1)};
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
