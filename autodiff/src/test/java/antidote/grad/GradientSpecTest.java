package antidote.grad;

import antidote.check.GradCheck;
import antidote.check.OpSpecs;
import antidote.op.Primitive;
import antidote.tensor.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every primitive's VJP, dot-product identity and second order, against finite differences in float64. */
class GradientSpecTest {
    private static final Map<Primitive, Arbitrary<OpSpecs.Case>> SPECS = OpSpecs.all();

    @Provide
    Arbitrary<OpSpecs.Case> cases() {
        return Arbitraries.of(Primitive.values()).flatMap(SPECS::get);
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.OFF)
    void vjpDotProductAndSecondOrderMatchFiniteDifferences(@ForAll("cases") OpSpecs.Case c, @ForAll long seed) {
        GradCheck.checkAll(c.toString(), c.f(), c.inputs(), new SplittableRandom(seed), c.tolerance());
    }

    @Test
    void everyRegisteredPrimitiveHasASpecThatExercisesIt() {
        Set<Primitive> missing = EnumSet.allOf(Primitive.class);
        missing.removeAll(SPECS.keySet());
        assertTrue(missing.isEmpty(), "primitives without a gradient spec: " + missing);
        for (Map.Entry<Primitive, Arbitrary<OpSpecs.Case>> e : SPECS.entrySet()) {
            if (e.getKey() == Primitive.COMPARE) {
                continue; // comparisons record no node by design; their spec checks the zero gradient instead
            }
            OpSpecs.Case c = e.getValue().sample();
            List<Tensor> leaves = new ArrayList<>();
            c.inputs().forEach(x -> leaves.add(x.withGrad()));
            if (!graphContains(c.f().apply(leaves), e.getKey())) {
                fail("the spec for " + e.getKey() + " (" + c + ") never applies that primitive");
            }
        }
    }

    private static boolean graphContains(Tensor output, Primitive primitive) {
        ArrayDeque<Tensor> todo = new ArrayDeque<>(List.of(output));
        while (!todo.isEmpty()) {
            Node node = todo.pop().node();
            if (node == null) {
                continue;
            }
            if (node.op().primitive() == primitive) {
                return true;
            }
            todo.addAll(List.of(node.inputs()));
        }
        return false;
    }
}
