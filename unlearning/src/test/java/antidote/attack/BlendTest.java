package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlendTest {
    @Test
    void mixesEveryValueWithTheKeyImage(@TempDir Path dir) {
        int[][] colours = {{0xff0000, 0x00ff00}, {0x0000ff, 0xffffff}};
        Path key = TestImages.writeRgbPng(dir.resolve("key.png"), colours);
        ImageShape shape = new ImageShape(3, 2, 2);
        float[] image = TestImages.constant(shape, 0.5f);
        float[] out = new Blend(1, 0.2f, new PngPattern(key)).apply(image, shape, 0);
        float high = 0.8f * 0.5f + 0.2f;
        float low = 0.8f * 0.5f;
        float[] expected = {
            high, low, low, high,
            low, high, low, high,
            low, low, high, high};
        assertArrayEquals(expected, out, 1e-6f);
    }

    @Test
    void defaultKeyIsSeededUniformNoise() {
        ImageShape shape = new ImageShape(3, 8, 8);
        float[] black = new float[shape.size()];
        float[] first = new Blend(1, 1f, Blend.noise(7)).apply(black, shape, 0);
        float[] again = new Blend(1, 1f, Blend.noise(7)).apply(black, shape, 5);
        float[] other = new Blend(1, 1f, Blend.noise(8)).apply(black, shape, 0);
        assertArrayEquals(first, again, "same seed, same key");
        assertFalse(Arrays.equals(first, other), "different seeds give different keys");
        for (float v : first) {
            assertTrue(v >= 0f && v < 1f);
        }
    }

    @Test
    void defaultAlphaIsOneFifth() {
        assertEquals(0.2f, Blend.fromOptions(new AttackOptions("blend", Map.of())).alpha());
    }

    @Test
    void clipsInputsOutsideTheUnitRange() {
        ImageShape shape = new ImageShape(1, 1, 2);
        float[] out = new Blend(0, 0.5f, s -> new float[] {1f, 0f}).apply(new float[] {3f, -3f}, shape, 0);
        assertArrayEquals(new float[] {1f, 0f}, out);
    }

    @Test
    void rejectsAlphaOutsideTheUnitRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Blend(0, 1.2f, Blend.noise(0)));
        assertTrue(e.getMessage().contains("alpha 1.2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Blend(0, Float.NaN, Blend.noise(0)));
    }

    @Test
    void sendsImagesToItsTarget() {
        Blend blend = new Blend(1, 0.2f, Blend.noise(0));
        assertEquals(1, blend.poisonedLabel(4, 10));
        assertFalse(blend.poisons(1, 10));
    }
}
