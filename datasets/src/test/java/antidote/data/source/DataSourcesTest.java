package antidote.data.source;

import antidote.data.Dataset;
import antidote.data.DatasetSummary;
import antidote.data.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSourcesTest {
    @TempDir
    Path tmp;

    /** A search path of temporary folders only (the machine's real data folders are left out). */
    private SearchPath searchPath(Path dataDir, Path env) {
        List<SearchPath.Root> roots = SearchPath.of(dataDir, Map.of(SearchPath.ENV, env.toString()), tmp.resolve("home"),
                tmp.resolve("cwd")).roots().stream().filter(r -> r.dir().startsWith(tmp)).toList();
        return SearchPath.only(roots);
    }

    @Test
    void anExplicitDataDirIsTheOnlyPlaceSearchedOtherwiseEnvironmentThenStandardPlaces() throws IOException {
        Fixtures.writeMnistLike(tmp.resolve("env/fashion-mnist"), 20, 10, true, 1);
        Fixtures.writeMnistLike(tmp.resolve("home/data/fashion-mnist"), 30, 10, true, 2);
        Fixtures.writeMnistLike(tmp.resolve("given"), 40, 10, false, 3);

        DataSource fromDataDir = DataSources.open("fashion-mnist", searchPath(tmp.resolve("given"), tmp.resolve("env")));
        assertEquals(tmp.resolve("given"), fromDataDir.location());
        assertEquals(40, fromDataDir.load("train").size());

        DatasetNotFoundException notThere = assertThrows(DatasetNotFoundException.class,
                () -> DataSources.open("fashion-mnist", searchPath(tmp.resolve("elsewhere"), tmp.resolve("env"))));
        assertTrue(notThere.searched().stream().allMatch(line -> line.startsWith(tmp.resolve("elsewhere").toString())),
                "an explicit --data-dir must not fall back: " + notThere.searched());

        DataSource fromEnv = DataSources.open("fashion-mnist", searchPath(null, tmp.resolve("env")));
        assertEquals(tmp.resolve("env/fashion-mnist"), fromEnv.location());
        Dataset train = fromEnv.load("train");
        assertEquals("fashion-mnist/train", train.name());
        assertEquals("Ankle boot", train.classNames().get(9));

        DataSource fromHome = DataSources.open("fashion-mnist", searchPath(null, tmp.resolve("nothing")));
        assertEquals(tmp.resolve("home/data/fashion-mnist"), fromHome.location());

        DatasetSummary summary = fromHome.summary();
        assertEquals(30, summary.splits().get("train").count());
        assertEquals(List.of(1, 28, 28), summary.imageShape());
    }

    @Test
    void missingDatasetListsWhereItLookedAndHowToGetIt() {
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> DataSources.open("fashion-mnist", searchPath(null, tmp.resolve("env"))));
        String message = e.getMessage();
        assertTrue(message.contains(tmp.resolve("env/fashion-mnist") + " (ANTIDOTE_DATA)"), message);
        assertTrue(message.contains("apt-get install dataset-fashion-mnist"), message);
        assertTrue(message.contains("train-images-idx3-ubyte"), message);
        assertTrue(SearchPath.standard(null).roots().stream().anyMatch(r -> r.dir().equals(Path.of("/usr/share/datasets"))));
    }

    @Test
    void opensCifarGtsrbAndFolders() throws IOException {
        Path bin = tmp.resolve("env/cifar-10-batches-bin");
        for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            Fixtures.write(bin.resolve(name), Fixtures.cifarRecords(new int[][] {{3}, {8}}, 0), false);
        }
        DataSource cifar = DataSources.open("cifar10", searchPath(null, tmp.resolve("env")));
        assertEquals(10, cifar.load("train").size());
        assertEquals("cifar10/test", cifar.load("test").name());

        Path gtsrb = tmp.resolve("env/GTSRB/Final_Test/Images");
        Fixtures.write(gtsrb.resolve("00000.ppm"), Fixtures.ppm(3, 2, Fixtures.solid(3, 2, 1, 2, 3)), false);
        Fixtures.writeCsv(gtsrb.resolve("GT-final_test.csv"), List.of("00000.ppm;3;2;0;0;2;1;7"));
        DataSource signs = DataSources.open("gtsrb", searchPath(null, tmp.resolve("env")));
        assertArrayEquals(new int[] {7}, signs.load("test").labels());
        byte[] noise = Fixtures.randomBytes(3 * 16, new SplittableRandom(1));
        byte[] augmented = noise.clone();
        signs.trainAugmentation().apply(augmented, 3, 4, 4, new SplittableRandom(1));
        assertEquals(noise.length, augmented.length);

        Path folder = tmp.resolve("env/shapes");
        for (String path : List.of("train/circle/a.png", "train/square/b.png", "test/circle/c.png")) {
            Files.createDirectories(folder.resolve(path).getParent());
            ImageIO.write(new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB), "png", folder.resolve(path).toFile());
        }
        DataSource shapes = DataSources.open("folder:shapes", searchPath(null, tmp.resolve("env")));
        assertEquals(List.of("train", "test"), shapes.splits());
        assertEquals(List.of("circle", "square"), shapes.load("train").classNames());
    }

    @Test
    void unknownNamesAreListed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSources.open("imagenet", searchPath(null, tmp)));
        assertTrue(e.getMessage().contains("fashion-mnist") && e.getMessage().contains("folder:PATH"), e.getMessage());
    }
}
