package antidote.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data specs: named splits with ranges, folders, the held-out rest, overlap, and malformed specs. */
class DataSpecTest {

    @Test
    void namedSplitsTakeOptionalHalfOpenRanges() {
        assertEquals(new DataSpec("cifar10", "test", 0, 5000, null), DataSpec.parse("cifar10:test[0:5000]"));
        assertEquals(new DataSpec("fashion-mnist", "train", 0, null, null), DataSpec.parse("fashion-mnist:train"));
        assertEquals(new DataSpec("cifar10", "test", 5000, null, null), DataSpec.parse("cifar10:test[5000:]"));
        assertEquals("cifar10:test[0:5000]", DataSpec.parse(" cifar10:test[0:5000] ").toString());
        assertEquals(new DataSpec(null, null, 0, null, Path.of("/data/x:y")), DataSpec.parse("folder:/data/x:y"));
    }

    @Test
    void theRestOfARangeIsWhatFollowsIt() {
        assertEquals(DataSpec.parse("cifar10:test[5000:]"), DataSpec.parse("cifar10:test[0:5000]").rest());
        assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("cifar10:test").rest());
        assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("folder:x").rest());
    }

    @Test
    void rangesOfOneSplitOverlapWhenTheyIntersect() {
        DataSpec first = DataSpec.parse("cifar10:test[0:5000]");
        assertFalse(first.overlaps(DataSpec.parse("cifar10:test[5000:]")));
        assertTrue(first.overlaps(DataSpec.parse("cifar10:test[4999:6000]")));
        assertTrue(first.overlaps(DataSpec.parse("cifar10:test")));
        assertFalse(first.overlaps(DataSpec.parse("cifar10:train[0:5000]")));
        assertFalse(first.overlaps(DataSpec.parse("gtsrb:test[0:5000]")));
        assertTrue(DataSpec.parse("folder:a/b").overlaps(DataSpec.parse("folder:a/./b")));
        assertFalse(DataSpec.parse("folder:a/b").overlaps(DataSpec.parse("folder:a/c")));
    }

    @Test
    void malformedSpecsSayHowToWriteOne() {
        for (String bad : new String[]{"cifar10", "cifar10:", "folder:", "cifar10:test[5:2]", "cifar10:test[a:b]",
                ":test"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("NAME:SPLIT"), e.getMessage());
        }
    }
}
