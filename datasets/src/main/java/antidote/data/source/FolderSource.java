package antidote.data.source;

import antidote.data.Augmentation;
import antidote.data.Dataset;
import antidote.data.format.ImageFolderReader;
import antidote.data.format.ImageOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An image folder: either {@code root/<class>/*} (one split, "all") or {@code root/train/<class>/*} plus
 * {@code root/test/<class>/*} (or {@code val/}). Channels are 1 when every image is grey, else 3.
 */
final class FolderSource implements DataSource {
    private final Path root;
    private final ImageOptions options;
    private final List<String> splits;

    FolderSource(Path root, ImageOptions options) {
        this.root = root;
        this.options = options;
        boolean hasTrain = Files.isDirectory(root.resolve("train"));
        String heldOut = Files.isDirectory(root.resolve("test")) ? "test" : Files.isDirectory(root.resolve("val")) ? "val" : null;
        this.splits = hasTrain && heldOut != null ? List.of("train", heldOut) : List.of("all");
    }

    @Override
    public String name() {
        return "folder:" + root;
    }

    @Override
    public Path location() {
        return root;
    }

    @Override
    public List<String> splits() {
        return splits;
    }

    @Override
    public Dataset load(String split) throws IOException {
        if (!splits.contains(split)) {
            throw new IllegalArgumentException(name() + " has splits " + splits + ", not '" + split + "'");
        }
        Path dir = "all".equals(split) ? root : root.resolve(split);
        return ImageFolderReader.read(dir, options, ImageFolderReader.AUTO_CHANNELS).withName(name() + "/" + split);
    }

    @Override
    public Augmentation trainAugmentation() {
        return Augmentation.none();
    }
}
