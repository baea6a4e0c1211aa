package antidote.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiTriggerTest {
    @Test
    void paperSetHasSevenTriggersWithSevenTargets() {
        MultiTrigger attack = MultiTrigger.paper(0);
        List<String> names = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (Backdoor backdoor : attack.backdoors()) {
            names.add(backdoor.name());
            targets.add(backdoor.poisonedLabel(7, 10));
        }
        assertEquals(List.of("trojan-wm", "trojan-sq", "badnets", "smooth", "blend", "l0", "l2"), names);
        assertEquals(List.of(9, 2, 0, 1, 3, 4, 5), targets);
    }

    @Test
    void eachSampleGetsOneBackdoorWithItsOwnTriggerAndTarget() {
        MultiTrigger attack = MultiTrigger.paper(0);
        ImageShape shape = new ImageShape(3, 32, 32);
        float[] image = TestImages.random(shape, 1);
        int[] uses = new int[7];
        for (int i = 0; i < 7000; i++) {
            Backdoor backdoor = attack.backdoorFor(i);
            uses[attack.backdoors().indexOf(backdoor)]++;
            if (i < 50) {
                assertEquals(backdoor, attack.backdoorFor(i), "the assignment is fixed");
                assertArrayEquals(backdoor.apply(image, shape, i), attack.backdoorFor(i).apply(image, shape, i));
            }
        }
        for (int count : uses) {
            assertTrue(count > 850 && count < 1150, "each of 7 backdoors gets about 1000 of 7000 samples: " + count);
        }
    }

    @Test
    void theSeedChangesTheAssignmentAndThePatterns() {
        MultiTrigger first = MultiTrigger.paper(1);
        MultiTrigger second = MultiTrigger.paper(2);
        int differ = 0;
        for (int i = 0; i < 100; i++) {
            differ += first.backdoorFor(i).name().equals(second.backdoorFor(i).name()) ? 0 : 1;
        }
        assertTrue(differ > 50, "most samples get another backdoor under another seed: " + differ);
        ImageShape shape = new ImageShape(3, 8, 8);
        float[] black = new float[shape.size()];
        assertNotEquals(Arrays.toString(first.backdoors().get(0).apply(black, shape, 0)),
                Arrays.toString(second.backdoors().get(0).apply(black, shape, 0)));
    }

    @Test
    void needsAtLeastOneBackdoor() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MultiTrigger(List.of(), 0));
        assertTrue(e.getMessage().contains("at least one backdoor"), e.getMessage());
    }
}
