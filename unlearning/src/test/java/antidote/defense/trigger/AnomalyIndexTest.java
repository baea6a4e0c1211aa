package antidote.defense.trigger;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AnomalyIndexTest {

    /**
     * Norms 10..18 and 2: median (13+14)/2 = 13.5; deviations 0.5,0.5,1.5,1.5,2.5,2.5,3.5,3.5,4.5,11.5 have
     * median 2.5, so the scaled MAD is 1.4826·2.5 = 3.7065 and the small norm's index 11.5/3.7065 = 3.1027.
     */
    @Test
    void smallOutlierHasTheHandComputedIndexAndIsFlagged() {
        double[] norms = {10, 11, 12, 13, 14, 15, 16, 17, 18, 2};
        AnomalyIndex a = AnomalyIndex.of(norms);
        assertEquals(13.5, a.median(), 1e-12);
        assertEquals(3.7065, a.scaledMad(), 1e-12);
        double[] expected = {3.5, 2.5, 1.5, 0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 11.5};
        for (int i = 0; i < expected.length; i++) {
            expected[i] /= 3.7065;
        }
        assertArrayEquals(expected, a.indices(), 1e-12);
        assertEquals(3.10266, a.indices()[9], 1e-5);
        assertEquals(List.of(9), a.flaggedBelow(2));
        assertEquals(List.of(), a.flaggedBelow(3.2));
    }

    /** A large norm is as far out, but a bigger trigger than the others is no backdoor: only small ones are flagged. */
    @Test
    void largeOutlierIsNotFlagged() {
        AnomalyIndex a = AnomalyIndex.of(new double[]{10, 11, 12, 13, 14, 15, 16, 17, 18, 40});
        assertEquals(14.5, a.median(), 1e-12);
        assertEquals(25.5 / 3.7065, a.indices()[9], 1e-12);
        assertEquals(List.of(), a.flaggedBelow(2));
    }

    @Test
    void oddCountUsesTheMiddleValueAndEqualValuesGiveAnInfiniteIndex() {
        AnomalyIndex a = AnomalyIndex.of(new double[]{5, 5, 5, 1, 5});
        assertEquals(5, a.median());
        assertEquals(0, a.scaledMad());
        assertEquals(0, a.indices()[0]);
        assertEquals(Double.POSITIVE_INFINITY, a.indices()[3]);
        assertEquals(List.of(3), a.flaggedBelow(2));
    }

    /** The reproduction marks a detecting defense that flagged nothing with the paper's "x": it reads this key. */
    @Test
    void findingsSayWhetherAnythingWasDetected() {
        double[] norms = {10, 11, 12, 13, 14, 15, 16, 17, 18, 2};
        assertEquals(true, Detection.of("l1", norms, 2).findings().get(Detection.DETECTED));
        assertEquals(false, Detection.of("l1", norms, 3.2).findings().get(Detection.DETECTED));
    }
}
