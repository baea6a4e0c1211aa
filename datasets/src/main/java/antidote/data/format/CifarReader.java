package antidote.data.format;

import antidote.data.Dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary versions of CIFAR-10 ({@code cifar-10-batches-bin/}: {@code data_batch_1.bin} ..
 * {@code data_batch_5.bin}, {@code test_batch.bin}, {@code batches.meta.txt}) and CIFAR-100
 * ({@code cifar-100-binary/}: {@code train.bin}, {@code test.bin}, {@code fine_label_names.txt},
 * {@code coarse_label_names.txt}). A record is the label byte(s) followed by 3072 pixel bytes: the 1024 red
 * values, then green, then blue, each plane row-major, 32x32.
 */
public final class CifarReader {
    /** Pixel bytes per record: 3 planes of 32x32. */
    public static final int IMAGE_BYTES = 3 * 32 * 32;
    /** The CIFAR-10 training batch files, in order. */
    public static final List<String> CIFAR10_TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    /** The CIFAR-10 test batch file. */
    public static final String CIFAR10_TEST_FILE = "test_batch.bin";
    /** The CIFAR-10 class names, used when {@code batches.meta.txt} is absent. */
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");
    private static final String CIFAR10_FIX = "Download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz "
            + "again and extract it with 'tar xzf cifar-10-binary.tar.gz'";
    private static final String CIFAR100_FIX = "Download https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz "
            + "again and extract it with 'tar xzf cifar-100-binary.tar.gz'";

    private CifarReader() {
    }

    /** Reads the CIFAR-10 training batches (train = true) or the test batch from {@code dir} (cifar-10-batches-bin). */
    public static Dataset readCifar10(Path dir, boolean train) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String name : train ? CIFAR10_TRAIN_FILES : List.of(CIFAR10_TEST_FILE)) {
            Path file = dir.resolve(name);
            DataFiles.requireFile(file, "CIFAR-10 " + (train ? "training" : "test") + " batch " + name
                    + " is expected in " + dir + ". " + CIFAR10_FIX);
            files.add(file);
        }
        Path meta = dir.resolve("batches.meta.txt");
        List<String> classes = Files.isRegularFile(meta) ? readLabelNames(meta, 10, CIFAR10_FIX) : CIFAR10_CLASSES;
        return readRecords("cifar10/" + (train ? "train" : "test"), files, 1, 0, classes, CIFAR10_FIX);
    }

    /** Reads CIFAR-100 ({@code train.bin} or {@code test.bin} in {@code dir}) with its 100 fine or 20 coarse labels. */
    public static Dataset readCifar100(Path dir, boolean train, boolean coarse) throws IOException {
        Path file = dir.resolve(train ? "train.bin" : "test.bin");
        DataFiles.requireFile(file, "CIFAR-100 " + (train ? "training" : "test") + " data is expected in " + dir + ". "
                + CIFAR100_FIX);
        Path meta = dir.resolve(coarse ? "coarse_label_names.txt" : "fine_label_names.txt");
        DataFiles.requireFile(meta, CIFAR100_FIX);
        List<String> classes = readLabelNames(meta, coarse ? 20 : 100, CIFAR100_FIX);
        return readRecords("cifar100/" + (train ? "train" : "test"), List.of(file), 2, coarse ? 0 : 1, classes,
                CIFAR100_FIX);
    }

    /** Reads the class names of a CIFAR meta text file: one per line, blank lines ignored, exactly {@code expected}. */
    public static List<String> readLabelNames(Path file, int expected, String fix) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        if (names.size() != expected) {
            throw new MalformedDataException(file, "", names.size() + " class names, expected " + expected, fix);
        }
        return List.copyOf(names);
    }

    private static Dataset readRecords(String name, List<Path> files, int labelBytes, int labelIndex,
                                       List<String> classes, String fix) throws IOException {
        int record = labelBytes + IMAGE_BYTES;
        long total = 0;
        long[] sizes = new long[files.size()];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            long size = Files.size(file);
            sizes[f] = size;
            if (size == 0 || size % record != 0) {
                throw new MalformedDataException(file, "", "the file has " + size + " bytes, which is not a whole number of "
                        + record + "-byte records (" + labelBytes + " label byte" + (labelBytes > 1 ? "s" : "")
                        + " + 3072 pixel bytes)", "The file is truncated or not a CIFAR binary batch. " + fix);
            }
            total += size / record;
        }
        if (total * IMAGE_BYTES > DataFiles.MAX_ARRAY) {
            throw new MalformedDataException(files.get(0), "", total + " records are too many for one dataset", fix);
        }
        byte[] pixels = new byte[(int) total * IMAGE_BYTES];
        int[] labels = new int[(int) total];
        int n = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != sizes[f]) {
                throw new MalformedDataException(file, "", "the file changed size while being read", "Read it again");
            }
            for (int at = 0; at < bytes.length; at += record, n++) {
                int label = bytes[at + labelIndex] & 0xFF;
                if (label >= classes.size()) {
                    throw new MalformedDataException(file, "byte " + (at + labelIndex), "label " + label + " of record "
                            + at / record + " is outside [0, " + classes.size() + ")",
                            "The file is corrupt or not a " + name.substring(0, name.indexOf('/')) + " batch. " + fix);
                }
                labels[n] = label;
                System.arraycopy(bytes, at + labelBytes, pixels, n * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return Dataset.of(name, pixels, labels, 3, 32, 32, classes);
    }
}
