package antidote.pipeline;

import antidote.data.Dataset;
import antidote.data.Seeds;
import antidote.data.Splits;
import antidote.data.format.ImageFolderReader;
import antidote.data.format.ImageOptions;
import antidote.data.source.DataSource;
import antidote.data.source.DataSources;
import antidote.data.source.SearchPath;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Loads a {@link DataSpec} as the images a model takes: named splits must already have the model's shape;
 * folders are resized to it. Folder labels follow the class folders: when every folder name is a class index
 * ({@code 0}, {@code 7}, {@code 00042}) that index is the label, so a clean set that lacks some classes keeps
 * the model's labels; otherwise the folders, sorted by name as torchvision's {@code ImageFolder} sorts them, must
 * be exactly the model's classes.
 */
public final class ImageSets {
    /** The seed of the order folder images are put in (the same for every run, so results repeat). */
    private static final long FOLDER_ORDER_SEED = 0;

    private ImageSets() {
    }

    /**
     * The images of {@code spec}, as {@code shape} = [C, H, W] with {@code classes} classes; a null shape reads a named
     * split as it is (to learn its image size).
     */
    public static Dataset load(DataSpec spec, SearchPath searchPath, int[] shape, int classes, PrintStream log)
            throws IOException {
        Dataset data = spec.isFolder() ? folder(spec, shape, classes, log) : named(spec, searchPath, shape);
        int end = spec.to() == null ? data.size() : spec.to();
        if (end > data.size()) {
            throw new IllegalArgumentException(spec + " asks for images up to " + end + " but the split has only "
                    + data.size() + "; shorten the range");
        }
        return spec.from() == 0 && end == data.size() ? data : data.slice(spec.from(), end);
    }

    /** A seeded subset of {@code count} images of {@code data}, refused when it has fewer. */
    public static Dataset sample(Dataset data, int count, long seed, String what) {
        if (count < 1 || count > data.size()) {
            throw new IllegalArgumentException(what + " asks for " + count + " images but " + data.name() + " has "
                    + data.size() + "; choose between 1 and " + data.size());
        }
        return count == data.size() ? data : Splits.random(data, count, seed).first();
    }

    private static Dataset named(DataSpec spec, SearchPath searchPath, int[] shape) throws IOException {
        DataSource source = DataSources.open(spec.dataset(), searchPath,
                shape == null ? ImageOptions.DEFAULT : new ImageOptions(shape[1], shape[2], false));
        if (!source.splits().contains(spec.split())) {
            throw new IllegalArgumentException(spec + ": " + spec.dataset() + " has splits " + source.splits()
                    + ", not '" + spec.split() + "'");
        }
        Dataset data = source.load(spec.split());
        if (shape != null && (data.channels() != shape[0] || data.height() != shape[1] || data.width() != shape[2])) {
            throw new IllegalArgumentException(spec + " has " + data.channels() + "x" + data.height() + "x"
                    + data.width() + " images but the model takes " + shape[0] + "x" + shape[1] + "x" + shape[2]
                    + "; check --arch and --input-shape, or give images of the model's size");
        }
        return data;
    }

    private static Dataset folder(DataSpec spec, int[] shape, int classes, PrintStream log) throws IOException {
        Path root = spec.folder();
        warnAboutSkippedFiles(root, spec, log);
        Dataset read = ImageFolderReader.read(root, new ImageOptions(shape[1], shape[2], false), shape[0]);
        List<String> names = read.classNames();
        int[] labelOf = new int[names.size()];
        if (names.stream().allMatch(n -> n.matches("\\d{1,9}"))) {
            for (int c = 0; c < names.size(); c++) {
                labelOf[c] = Integer.parseInt(names.get(c));
                if (labelOf[c] >= classes) {
                    throw new IllegalArgumentException(spec + ": class folder '" + names.get(c)
                            + "' is not a class of a model with " + classes + " classes (0 to " + (classes - 1) + ")");
                }
            }
        } else if (names.size() == classes) {
            for (int c = 0; c < names.size(); c++) {
                labelOf[c] = c;
            }
        } else {
            throw new IllegalArgumentException(spec + " has " + names.size() + " class folders but the model has "
                    + classes + " classes; name the folders by class index (0 to " + (classes - 1)
                    + ") so that missing classes keep their labels");
        }
        int[] labels = new int[read.size()];
        byte[] pixels = new byte[read.size() * read.imageSize()];
        for (int i = 0; i < read.size(); i++) {
            labels[i] = labelOf[read.label(i)];
            read.copyImageBytes(i, pixels, i * read.imageSize());
        }
        Dataset aligned = Dataset.of(spec.toString(), pixels, labels, read.channels(), read.height(), read.width(),
                Dataset.numberedClasses(classes));
        // A folder lists its images class by class; defenses that batch a clean set in its own order (I-BAU as
        // published) would see one class per batch and unlearn one class at a time (measured on the PyTorch
        // fixture: ACC 91.7 -> 34.1), so the images are put in one seeded random order. (Splits.random keeps the
        // drawn images in their original order, which is what a subset wants and a folder does not.)
        return aligned.subset(Seeds.permutation(aligned.size(), Seeds.derive(FOLDER_ORDER_SEED)));
    }

    /**
     * Files that are not images (a README, a thumbnail database) are skipped with one warning rather than refused:
     * folders collected by hand often hold them, and they cannot be mistaken for data. A damaged file with an
     * image's extension is still refused by the reader.
     */
    private static void warnAboutSkippedFiles(Path root, DataSpec spec, PrintStream log) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> skipped = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root, 2)) {
            all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> root.relativize(p).getNameCount() == 2 && !isImage(p)).forEach(skipped::add);
        }
        if (!skipped.isEmpty()) {
            log.printf("warning: %s: skipped %d file(s) that are not PNG, JPEG, BMP, GIF or PPM images (e.g. %s)%n",
                    spec, skipped.size(), root.relativize(skipped.get(0)));
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && ImageFolderReader.EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
