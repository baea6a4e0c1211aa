package antidote.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void writesFlatJsonWithAccAsrRacc() {
        assertEquals("{\"acc\":0.849,\"asr\":0.976,\"racc\":0.0}", new Metrics(0.849, 0.976, 0.0).toJson());
    }

    @Test
    void rejectsRatesOutsideTheUnitRangeSuggestingFractions() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Metrics(84.9, 0.9, 0.1));
        assertTrue(e.getMessage().contains("ACC 84.9") && e.getMessage().contains("not percentages"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Metrics(0.5, Double.NaN, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Metrics(0.5, 0.5, -0.1));
    }
}
