package antidote.data.source;

import antidote.data.Augmentation;
import antidote.data.Dataset;
import antidote.data.format.IdxReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** MNIST or Fashion-MNIST: four IDX files (gzipped or not), 28x28 grey images, 10 classes. */
final class IdxSource implements DataSource {
    private static final String NEEDS = "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
            + "t10k-labels-idx1-ubyte (each possibly ending in .gz)";

    static final Kind FASHION_MNIST = new Kind("fashion-mnist",
            List.of("fashion-mnist", "fashion_mnist", "FashionMNIST/raw", "FashionMNIST"), IdxSource::isHome, NEEDS,
            "apt-get install dataset-fashion-mnist (installs /usr/share/datasets/fashion-mnist), or download the four "
                    + ".gz files from https://github.com/zalandoresearch/fashion-mnist (data/fashion) into "
                    + "DIR/fashion-mnist",
            (dir, options) -> new IdxSource("fashion-mnist", dir, List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
                    "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")));

    static final Kind MNIST = new Kind("mnist", List.of("mnist", "MNIST/raw", "MNIST"), IdxSource::isHome, NEEDS,
            "download the four .gz files from https://ossci-datasets.s3.amazonaws.com/mnist/ (a mirror of "
                    + "http://yann.lecun.com/exdb/mnist/) into DIR/mnist",
            (dir, options) -> new IdxSource("mnist", dir, Dataset.numberedClasses(10)));

    private final String name;
    private final Path dir;
    private final List<String> classNames;

    private IdxSource(String name, Path dir, List<String> classNames) {
        this.name = name;
        this.dir = dir;
        this.classNames = classNames;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path location() {
        return dir;
    }

    @Override
    public List<String> splits() {
        return List.of("train", "test");
    }

    @Override
    public Dataset load(String split) throws IOException {
        String prefix = switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new IllegalArgumentException(name + " has splits " + splits() + ", not '" + split + "'");
        };
        return IdxReader.readDataset(name + "/" + split, require(prefix + "-images", "idx3"),
                require(prefix + "-labels", "idx1"), classNames);
    }

    @Override
    public Augmentation trainAugmentation() {
        return Augmentation.none();
    }

    private Path require(String stem, String kind) throws IOException {
        return find(dir, stem, kind).orElseThrow(() -> new NoSuchFileException(dir.resolve(stem + "-" + kind + "-ubyte")
                + "[.gz]", null, "missing from " + dir + ". It needs " + NEEDS));
    }

    /** The file for {@code stem} ("train-images") in its usual spellings: "-idx3-ubyte" or ".idx3-ubyte", optionally ".gz". */
    private static Optional<Path> find(Path dir, String stem, String kind) {
        for (String name : List.of(stem + "-" + kind + "-ubyte", stem + "." + kind + "-ubyte")) {
            for (String suffix : List.of("", ".gz")) {
                Path file = dir.resolve(name + suffix);
                if (Files.isRegularFile(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isHome(Path dir) {
        return find(dir, "train-images", "idx3").isPresent() && find(dir, "train-labels", "idx1").isPresent()
                && find(dir, "t10k-images", "idx3").isPresent() && find(dir, "t10k-labels", "idx1").isPresent();
    }
}
