package antidote.data.source;

import antidote.data.Augmentation;
import antidote.data.Dataset;
import antidote.data.format.GtsrbReader;
import antidote.data.format.ImageOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** GTSRB as distributed (PPM images and CSV annotations), resized to the requested size: 43 classes, RGB. */
final class GtsrbSource implements DataSource {
    static final Kind GTSRB = new Kind("gtsrb", List.of("GTSRB", "gtsrb", "gtsrb/GTSRB"),
            dir -> Files.isDirectory(dir.resolve("Final_Training").resolve("Images"))
                    || Files.isDirectory(dir.resolve("Final_Test").resolve("Images")),
            "Final_Training/Images/000NN/*.ppm with GT-000NN.csv, and Final_Test/Images/*.ppm with GT-final_test.csv",
            "download GTSRB_Final_Training_Images.zip, GTSRB_Final_Test_Images.zip and GTSRB_Final_Test_GT.zip "
                    + "(https://benchmark.ini.rub.de/gtsrb_dataset.html), unzip the first two in DIR (they create "
                    + "DIR/GTSRB) and put GT-final_test.csv from the third into DIR/GTSRB/Final_Test/Images",
            GtsrbSource::new);

    private final Path dir;
    private final ImageOptions options;

    private GtsrbSource(Path dir, ImageOptions options) {
        this.dir = dir;
        this.options = options;
    }

    @Override
    public String name() {
        return "gtsrb";
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
        return switch (split) {
            case "train" -> GtsrbReader.readTraining(dir, options);
            case "test" -> GtsrbReader.readTest(dir, options);
            default -> throw new IllegalArgumentException("gtsrb has splits " + splits() + ", not '" + split + "'");
        };
    }

    /** Random crop (padding 1/8 of the side) and no flip: traffic signs have a handedness. */
    @Override
    public Augmentation trainAugmentation() {
        return Augmentation.randomCrop(Math.max(1, Math.min(options.height(), options.width()) / 8));
    }
}
