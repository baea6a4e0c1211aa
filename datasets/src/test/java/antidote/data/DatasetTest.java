package antidote.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetTest {
    private final Dataset data = Fixtures.randomDataset(6, 3, 2, 2, 3, 5);

    @Test
    void validatesSizesAndLabels() {
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.of("x", new byte[11], new int[] {0}, 3, 2, 2, List.of("a")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of("x", new byte[12], new int[] {2}, 3, 2, 2, List.of("a", "b")));
        assertTrue(e.getMessage().contains("label 2 of sample 0"), e.getMessage());
    }

    @Test
    void imagesAsFloatsAndBytes() {
        byte[] bytes = data.imageBytes(4);
        float[] floats = data.image(4);
        assertEquals(12, floats.length);
        for (int i = 0; i < 12; i++) {
            assertEquals((bytes[i] & 0xFF) / 255f, floats[i]);
        }
        assertArrayEquals(new int[] {2, 2, 2}, data.classCounts());
    }

    @Test
    void subsetAndSliceKeepSamplesAndLabels() {
        Dataset subset = data.subset(new int[] {5, 1, 1});
        assertArrayEquals(new int[] {2, 1, 1}, subset.labels());
        assertArrayEquals(data.imageBytes(5), subset.imageBytes(0));
        assertArrayEquals(data.imageBytes(1), subset.imageBytes(2));
        Dataset slice = data.slice(2, 4);
        assertArrayEquals(new int[] {2, 0}, slice.labels());
        assertArrayEquals(data.imageBytes(3), slice.imageBytes(1));
    }

    @Test
    void withSamplesReplacesOnlyTheChosenSamples() {
        byte[] white = new byte[24];
        Arrays.fill(white, (byte) 255);
        Dataset poisoned = data.withSamples(new int[] {0, 3}, white, new int[] {2, 2});
        assertArrayEquals(new int[] {2, 1, 2, 2, 1, 2}, poisoned.labels());
        assertEquals(1f, poisoned.image(3)[11]);
        assertArrayEquals(data.imageBytes(1), poisoned.imageBytes(1));
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, data.labels(), "the original is unchanged");
        Dataset relabelledOnly = data.withSamples(new int[] {1}, data.imageBytes(1), null);
        assertArrayEquals(data.labels(), relabelledOnly.labels());
    }

    @Test
    void builderEditsSingleImagesAsFloats() {
        float[] image = data.image(2);
        image[0] = 0.5f;
        image[1] = 1.7f;
        image[2] = -0.2f;
        DatasetBuilder builder = data.toBuilder().setImage(2, image).setLabel(2, 0);
        Dataset edited = builder.build();
        byte[] bytes = edited.imageBytes(2);
        assertEquals(128, bytes[0] & 0xFF, "round(0.5·255)");
        assertEquals(255, bytes[1] & 0xFF, "clamped");
        assertEquals(0, bytes[2] & 0xFF, "clamped");
        assertEquals(0, edited.label(2));
        assertThrows(IllegalStateException.class, () -> builder.setLabel(0, 0), "a built builder is spent");
        assertThrows(IllegalArgumentException.class, () -> data.toBuilder().setLabel(0, 3));
    }

    @Test
    void concatenatesMatchingDatasets() {
        Dataset both = Dataset.concat(data, data.slice(0, 2));
        assertEquals(8, both.size());
        assertArrayEquals(data.imageBytes(1), both.imageBytes(7));
        assertThrows(IllegalArgumentException.class, () -> Dataset.concat(data, Fixtures.randomDataset(1, 1, 2, 2, 3, 1)));
    }
}
