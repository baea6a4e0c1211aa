package antidote.defense.ibau;

import antidote.data.Dataset;
import antidote.data.format.IdxReader;
import antidote.nn.Module;
import antidote.nn.io.Checkpoint;
import antidote.nn.model.SmallVgg;
import antidote.poison.Evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The PyTorch-trained BadNets SmallVgg of {@code ../shared/fixtures} (see its README) with the defender's split
 * of the Fashion-MNIST test set: clean images 0-4999, metrics on 5000-9999, ASR over the non-target images
 * there with the 3×3 white patch at rows and columns 25-27 (target 0).
 */
record PytorchBadNetsFixture(Module model, Dataset clean, Dataset evaluation, Dataset triggered) {
    static final Path WEIGHTS = Path.of("../shared/fixtures/fmnist-badnets-smallvgg-pytorch.safetensors");
    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    static final int TARGET = 0;

    /** Empty, with the reason, when the weights or Fashion-MNIST are not on this machine. */
    static Optional<PytorchBadNetsFixture> load(Path repoRoot) throws IOException {
        Path weights = repoRoot.resolve(WEIGHTS).normalize();
        Path images = FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz");
        Path labels = FASHION_MNIST.resolve("t10k-labels-idx1-ubyte.gz");
        if (!Files.isRegularFile(weights) || !Files.isRegularFile(images) || !Files.isRegularFile(labels)) {
            return Optional.empty();
        }
        Module model = new SmallVgg(1, 28, 28, 10, new SplittableRandom(0));
        Checkpoint.load(weights, model);
        Dataset test = IdxReader.readDataset("fashion-mnist/test", images, labels, Dataset.numberedClasses(10));
        Dataset evaluation = test.slice(5000, 10000);
        return Optional.of(new PytorchBadNetsFixture(model, test.slice(0, 5000), evaluation, triggered(evaluation)));
    }

    /** Where the fixture and the data are expected, for a skip message. */
    static String expected(Path repoRoot) {
        return repoRoot.resolve(WEIGHTS).normalize() + " and " + FASHION_MNIST + "/t10k-*-ubyte.gz";
    }

    /** The non-target images with the patch, keeping their true labels. */
    private static Dataset triggered(Dataset evaluation) {
        int[] keep = new int[evaluation.size()];
        int n = 0;
        for (int i = 0; i < evaluation.size(); i++) {
            if (evaluation.label(i) != TARGET) {
                keep[n++] = i;
            }
        }
        Dataset chosen = evaluation.subset(Arrays.copyOf(keep, n));
        byte[] pixels = new byte[n * 28 * 28];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            chosen.copyImageBytes(i, pixels, i * 784);
            for (int r = 25; r <= 27; r++) {
                for (int c = 25; c <= 27; c++) {
                    pixels[i * 784 + r * 28 + c] = (byte) 255;
                }
            }
            labels[i] = chosen.label(i);
        }
        return Dataset.of("fashion-mnist/test[5000:10000]+patch", pixels, labels, 1, 28, 28,
                Dataset.numberedClasses(10));
    }

    /** Share of the evaluation images classified correctly. */
    double accuracy() {
        int[] p = Evaluation.predict(model, evaluation);
        long hits = 0;
        for (int i = 0; i < p.length; i++) {
            hits += p[i] == evaluation.label(i) ? 1 : 0;
        }
        return (double) hits / p.length;
    }

    /** Share of the triggered non-target images classified as the target. */
    double attackSuccessRate() {
        return (double) Arrays.stream(Evaluation.predict(model, triggered)).filter(p -> p == TARGET).count()
                / triggered.size();
    }
}
