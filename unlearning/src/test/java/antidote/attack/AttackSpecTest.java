package antidote.attack;

import antidote.repro.Plan;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Attack specs: a name alone, a name with options (':' or ',' between them), and malformed options. */
class AttackSpecTest {

    @Test
    void aNameAloneHasNoOptions() {
        assertEquals(new AttackSpec("badnets", Map.of()), AttackSpec.parse("badnets"));
    }

    @Test
    void optionsFollowTheNameSeparatedByColons() {
        AttackSpec spec = AttackSpec.parse("badnets:size=4:value=0.9");
        assertEquals("badnets", spec.name());
        assertEquals(Map.of("size", "4", "value", "0.9"), spec.options());
    }

    @Test
    void optionsMaySeparateWithCommas() {
        AttackSpec spec = AttackSpec.parse("badnets:size=4,row=-5,col=-5,target=8");
        assertEquals(Map.of("size", "4", "row", "-5", "col", "-5", "target", "8"), spec.options());
    }

    @Test
    void malformedSpecsNameTheProblem() {
        for (String bad : new String[]{"wanet:strength", "wanet:=1", "wanet:strength=", ":size=3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttackSpec.parse(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void theDefaultPlanParses() {
        for (String attack : Plan.defaults().attacks()) {
            AttackSpec.parse(attack);
        }
        assertEquals(Map.of("strength", "1"), AttackSpec.parse(Plan.defaults().attacks().get(2)).options());
    }
}
