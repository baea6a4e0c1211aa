package antidote.data.source;

import antidote.data.Augmentation;
import antidote.data.Dataset;
import antidote.data.format.CifarReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CIFAR-10 or CIFAR-100 (fine or coarse labels), binary version: 32x32 RGB. */
final class CifarSource implements DataSource {
    static final Kind CIFAR10 = new Kind("cifar10",
            List.of("cifar-10-batches-bin", "cifar10/cifar-10-batches-bin", "cifar-10/cifar-10-batches-bin", "cifar10",
                    "cifar-10"),
            dir -> Files.isRegularFile(dir.resolve("data_batch_1.bin")) || Files.isRegularFile(dir.resolve("test_batch.bin")),
            "data_batch_1.bin .. data_batch_5.bin, test_batch.bin and batches.meta.txt (the binary version)",
            "download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz and run 'tar xzf cifar-10-binary.tar.gz' "
                    + "in DIR (it creates DIR/cifar-10-batches-bin)",
            (dir, options) -> new CifarSource("cifar10", dir, false, false));
    static final Kind CIFAR100 = cifar100("cifar100", false);
    static final Kind CIFAR100_COARSE = cifar100("cifar100-coarse", true);

    private final String name;
    private final Path dir;
    private final boolean hundred;
    private final boolean coarse;

    private CifarSource(String name, Path dir, boolean hundred, boolean coarse) {
        this.name = name;
        this.dir = dir;
        this.hundred = hundred;
        this.coarse = coarse;
    }

    private static Kind cifar100(String name, boolean coarse) {
        return new Kind(name, List.of("cifar-100-binary", "cifar100/cifar-100-binary", "cifar-100/cifar-100-binary",
                "cifar100", "cifar-100"),
                dir -> (Files.isRegularFile(dir.resolve("train.bin")) || Files.isRegularFile(dir.resolve("test.bin")))
                        && Files.isRegularFile(dir.resolve("fine_label_names.txt")),
                "train.bin, test.bin, fine_label_names.txt and coarse_label_names.txt (the binary version)",
                "download https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz and run "
                        + "'tar xzf cifar-100-binary.tar.gz' in DIR (it creates DIR/cifar-100-binary)",
                (dir, options) -> new CifarSource(name, dir, true, coarse));
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
        boolean train = switch (split) {
            case "train" -> true;
            case "test" -> false;
            default -> throw new IllegalArgumentException(name + " has splits " + splits() + ", not '" + split + "'");
        };
        Dataset dataset = hundred ? CifarReader.readCifar100(dir, train, coarse) : CifarReader.readCifar10(dir, train);
        return dataset.withName(name + "/" + split);
    }

    @Override
    public Augmentation trainAugmentation() {
        return Augmentation.randomCrop(4).then(Augmentation.horizontalFlip());
    }
}
