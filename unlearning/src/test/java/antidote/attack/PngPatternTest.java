package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngPatternTest {
    @Test
    void readsStoredColoursInChwOrder(@TempDir Path dir) {
        Path file = TestImages.writeRgbPng(dir.resolve("p.png"), new int[][] {{0x102030, 0x405060}});
        float[] pattern = new PngPattern(file).render(new ImageShape(3, 1, 2));
        float[] expected = {0x10 / 255f, 0x40 / 255f, 0x20 / 255f, 0x50 / 255f, 0x30 / 255f, 0x60 / 255f};
        assertArrayEquals(expected, pattern);
    }

    @Test
    void grayscaleIsCopiedToEveryChannel(@TempDir Path dir) {
        Path file = TestImages.writeGrayPng(dir.resolve("g.png"), new int[][] {{0, 51}, {102, 255}});
        float[] pattern = new PngPattern(file).render(new ImageShape(2, 2, 2));
        assertArrayEquals(new float[] {0f, 0.2f, 0.4f, 1f, 0f, 0.2f, 0.4f, 1f}, pattern, 1e-7f);
    }

    @Test
    void colourBecomesLuminanceForOneChannelImagesAndIsRejectedForOtherCounts(@TempDir Path dir) {
        Path file = TestImages.writeRgbPng(dir.resolve("c.png"), new int[][] {{0xff0000, 0x00ff00}});
        PngPattern pattern = new PngPattern(file);
        assertArrayEquals(new float[] {0.299f, 0.587f}, pattern.render(new ImageShape(1, 1, 2)), 1e-6f);
        var e = assertThrows(IllegalArgumentException.class, () -> pattern.render(new ImageShape(4, 1, 2)));
        assertTrue(e.getMessage().contains("3 colour channels but the images have 4"), e.getMessage());
    }

    @Test
    void resizesBilinearlyToTheImageSize(@TempDir Path dir) {
        Path file = TestImages.writeGrayPng(dir.resolve("r.png"), new int[][] {{0, 255}});
        float[] pattern = new PngPattern(file).render(new ImageShape(1, 1, 4));
        // Output column o reads input position (o + 0.5) * 2 / 4 - 0.5: -0.25 (clamped to 0), 0.25, 0.75, 1.25 (to 1).
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, pattern, 1e-6f);
    }

    @Test
    void aMissingOrUndecodableFileIsReportedWithItsPath(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.png");
        var none = assertThrows(IllegalArgumentException.class, () -> new PngPattern(missing));
        assertTrue(none.getMessage().contains(missing.toString()) && none.getMessage().contains("PNG"),
                none.getMessage());
        Path garbage = Files.write(dir.resolve("garbage.png"), new byte[] {1, 2, 3, 4});
        var bad = assertThrows(IllegalArgumentException.class, () -> new PngPattern(garbage));
        assertTrue(bad.getMessage().contains(garbage.toString()) && bad.getMessage().contains("save the trigger"),
                bad.getMessage());
    }

    @Test
    void aTriggerFromAFileIsUsedByTheAdditiveAttacks(@TempDir Path dir) {
        Path file = TestImages.writeGrayPng(dir.resolve("t.png"), new int[][] {{0, 128}, {255, 0}});
        ImageShape shape = new ImageShape(1, 2, 2);
        float[] out = new TrojanSquare(2, new PngPattern(file)).apply(TestImages.constant(shape, 0.25f), shape, 0);
        assertArrayEquals(new float[] {0.25f, 0.25f + 128 / 255f, 1f, 0.25f}, out, 1e-6f);
        assertEquals(2, new TrojanWatermark(2, new PngPattern(file)).poisonedLabel(0, 3));
    }
}
