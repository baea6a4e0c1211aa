package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AllToAllTest {
    @Test
    void shiftsEveryLabelToTheNextClassWrappingAround() {
        AllToAll attack = new AllToAll(SquarePatch.standard());
        for (int y = 0; y < 9; y++) {
            assertEquals(y + 1, attack.poisonedLabel(y, 10));
            assertEquals(y + 1, attack.trainingLabel(y, 10));
            assertTrue(attack.poisons(y, 10), "every class is poisoned");
        }
        assertEquals(0, attack.poisonedLabel(9, 10));
        assertEquals(0, attack.poisonedLabel(42, 43), "GTSRB's last class wraps to 0");
    }

    @Test
    void registryDefaultUsesTheBadNetsSquare() {
        ImageShape shape = new ImageShape(3, 8, 8);
        float[] image = TestImages.random(shape, 4);
        Attack attack = AttackRegistry.standard().create(AllToAll.NAME);
        assertArrayEquals(new BadNets(0).apply(image, shape, 0), attack.backdoorFor(0).apply(image, shape, 0));
        Attack bigger = AttackRegistry.standard().create(AllToAll.NAME, Map.of("size", "4"));
        assertArrayEquals(new BadNets(0, SquarePatch.bottomRight(4)).apply(image, shape, 0),
                bigger.backdoorFor(0).apply(image, shape, 0));
    }

    @Test
    void anyTriggerCanBeUsed() {
        ImageShape shape = new ImageShape(1, 1, 4);
        float[] out = new AllToAll((chw, s, i) -> new float[] {1f, 1f, 1f, 1f}).apply(new float[4], shape, 0);
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f}, out);
    }

    @Test
    void rejectsLabelsOutOfRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AllToAll(SquarePatch.standard())
                .poisonedLabel(10, 10));
        assertTrue(e.getMessage().contains("true label 10 is out of range for 10 classes"), e.getMessage());
    }
}
