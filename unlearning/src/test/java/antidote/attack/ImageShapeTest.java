package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageShapeTest {
    @Test
    void indexesInChannelRowColumnOrder() {
        ImageShape shape = new ImageShape(3, 4, 5);
        assertEquals(60, shape.size());
        assertEquals(20, shape.planeSize());
        assertEquals(0, shape.index(0, 0, 0));
        assertEquals(1, shape.index(0, 0, 1));
        assertEquals(5, shape.index(0, 1, 0));
        assertEquals(20, shape.index(1, 0, 0));
        assertEquals(59, shape.index(2, 3, 4));
        assertEquals("3x4x5", shape.toString());
    }

    @Test
    void rejectsEmptyDimensionsAndWrongLengths() {
        var empty = assertThrows(IllegalArgumentException.class, () -> new ImageShape(3, 0, 32));
        assertTrue(empty.getMessage().contains("3x0x32"), empty.getMessage());
        var wrong = assertThrows(IllegalArgumentException.class, () -> new ImageShape(3, 2, 2).check(new float[4]));
        assertTrue(wrong.getMessage().contains("has 4 values but shape 3x2x2 needs 12"), wrong.getMessage());
    }
}
