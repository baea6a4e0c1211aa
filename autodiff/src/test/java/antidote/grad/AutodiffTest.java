package antidote.grad;

import antidote.backend.Backend;
import antidote.backend.Storage;
import antidote.check.ReferenceBackend;
import antidote.op.Context;
import antidote.op.Op;
import antidote.op.Primitive;
import antidote.tensor.Dispatch;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour of Autodiff and GradMode beyond numerical correctness. */
class AutodiffTest {

    private static Tensor t(double... v) {
        return Tensor.fromArray(v, Shape.of(v.length), ReferenceBackend.DEVICE);
    }

    /** An identity op that counts VJP calls and may declare itself first-order only. */
    private static final class CountingIdentity implements Op {
        final AtomicInteger vjpCalls = new AtomicInteger();
        private final boolean twice;

        CountingIdentity(boolean twice) {
            this.twice = twice;
        }

        public Primitive primitive() {
            return Primitive.RESHAPE;
        }

        @Override
        public String name() {
            return "counting_identity";
        }

        public Shape outputShape(Tensor[] in) {
            return in[0].shape();
        }

        public Storage forward(Backend backend, Tensor[] in, Shape out) {
            return in[0].storage();
        }

        public Tensor[] vjp(Context c, Tensor g, boolean[] needed) {
            vjpCalls.incrementAndGet();
            return new Tensor[] {g};
        }

        @Override
        public boolean twiceDifferentiable() {
            return twice;
        }
    }

    @Test
    void onlyGradientsOnAPathToATargetAreComputed() {
        Tensor a = t(1, 2).withGrad();
        Tensor b = t(3, 4).withGrad();
        CountingIdentity onB = new CountingIdentity(true);
        Tensor y = a.mul(Dispatch.apply(onB, b)).sum();
        List<Tensor> grads = Autodiff.grad(y, List.of(a));
        assertArrayEquals(new double[]{3, 4}, grads.get(0).toDoubleArray());
        assertEquals(0, onB.vjpCalls.get(), "the branch leading only to b must not be differentiated");
    }

    @Test
    void unusedTargetsGetZerosAndSharedInputsAccumulate() {
        Tensor a = t(1, 2).withGrad();
        Tensor unused = t(5, 6, 7).withGrad();
        Tensor y = a.mul(a).add(a).sum();
        List<Tensor> grads = Autodiff.grad(y, List.of(a, unused));
        assertArrayEquals(new double[]{3, 5}, grads.get(0).toDoubleArray());
        assertArrayEquals(new double[]{0, 0, 0}, grads.get(1).toDoubleArray());
    }

    @Test
    void gradientsWithoutCreateGraphCarryNoGraph() {
        Tensor a = t(1, 2).withGrad();
        Tensor g = Autodiff.grad(a.exp().sum(), List.of(a)).get(0);
        assertFalse(g.requiresGrad());
        Tensor g2 = Autodiff.grad(a.exp().sum(), List.of(a), null, true).get(0);
        assertTrue(g2.requiresGrad());
    }

    @Test
    void gradModeDisabledRecordsNothingAndRestores() {
        Tensor a = t(1, 2).withGrad();
        try (var off = GradMode.disabled()) {
            assertNull(a.exp().node());
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertTrue(a.exp().requiresGrad());
    }

    @Test
    void firstOrderOnlyOpRefusesCreateGraph() {
        Tensor a = t(1, 2).withGrad();
        Tensor y = Dispatch.apply(new CountingIdentity(false), a).square().sum();
        assertArrayEquals(new double[]{2, 4}, Autodiff.grad(y, List.of(a), null, false, true).get(0).toDoubleArray());
        NotTwiceDifferentiableException e = assertThrows(NotTwiceDifferentiableException.class,
                () -> Autodiff.grad(y, List.of(a), null, true));
        assertTrue(e.getMessage().contains("counting_identity"), e.getMessage());
    }

    @Test
    void nonScalarOutputNeedsASeedOfTheSameShape() {
        Tensor a = t(1, 2).withGrad();
        Tensor y = a.mul(3.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autodiff.grad(y, List.of(a)));
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        assertArrayEquals(new double[]{3, 6},
                Autodiff.vjp(y, List.of(a), t(1, 2)).get(0).toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> Autodiff.vjp(y, List.of(a), t(1, 2, 3)));
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor a = t(0.5).withGrad();
        Tensor y = a;
        for (int i = 0; i < 20_000; i++) {
            y = y.mul(1.0);
        }
        assertEquals(1.0, Autodiff.grad(y.sum(), List.of(a)).get(0).item(), 1e-12);
    }

    @Test
    void conventionsAtNonDifferentiablePoints() {
        Tensor x = t(-1, 0, 2).withGrad();
        assertArrayEquals(new double[]{0, 0, 1}, Autodiff.grad(x.relu().sum(), List.of(x)).get(0).toDoubleArray());
        assertArrayEquals(new double[]{-1, 0, 1}, Autodiff.grad(x.abs().sum(), List.of(x)).get(0).toDoubleArray());
        assertArrayEquals(new double[]{0, 0, 0}, Autodiff.grad(x.sign().mul(x.sign()).sum(), List.of(x)).get(0)
                .toDoubleArray());
        Tensor tied = t(3, 1, 3).withGrad();
        assertArrayEquals(new double[]{1, 0, 0}, Autodiff.grad(tied.max(), List.of(tied)).get(0).toDoubleArray(),
                "max ties go to the first index");
        Tensor other = t(3, 0, 0).withGrad();
        List<Tensor> g = Autodiff.grad(tied.maximum(other).sum(), List.of(tied, other));
        assertArrayEquals(new double[]{1, 1, 1}, g.get(0).toDoubleArray(), "maximum ties go to the first argument");
        assertArrayEquals(new double[]{0, 0, 0}, g.get(1).toDoubleArray());
    }

    @Test
    void aReleasedGraphRefusesASecondPassInOneLine() {
        Tensor a = t(1, 2).withGrad();
        Tensor y = a.exp().mul(a).sum();
        Autodiff.grad(y, List.of(a));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Autodiff.grad(y, List.of(a)));
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("retainGraph=true"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aRetainedGraphGivesTheSameGradientAgain() {
        Tensor a = t(1, 2).withGrad();
        Tensor y = a.exp().mul(a).sum();
        double[] first = Autodiff.grad(y, List.of(a), null, false, true).get(0).toDoubleArray();
        assertArrayEquals(first, Autodiff.grad(y, List.of(a)).get(0).toDoubleArray());
        assertArrayEquals(new double[]{2 * Math.E, 3 * Math.exp(2)}, first, 1e-12);
    }

    @Test
    void withoutRetainTheActivationsBecomeGarbageAfterTheBackwardPass() {
        Tensor a = t(1, 2).withGrad();
        List<WeakReference<Storage>> retained = new ArrayList<>();
        Tensor kept = lossWatchingItsActivation(a, retained);
        Autodiff.grad(kept, List.of(a), null, false, true);
        List<WeakReference<Storage>> released = new ArrayList<>();
        Tensor freed = lossWatchingItsActivation(a, released);
        Autodiff.grad(freed, List.of(a));
        for (int attempt = 0; attempt < 20 && released.get(0).get() != null; attempt++) {
            System.gc();
        }
        assertNull(released.get(0).get(), "the activation must be unreachable once its node's rule has run");
        assertTrue(retained.get(0).get() != null, "a retained graph keeps its activation");
        Reference.reachabilityFence(kept);
        Reference.reachabilityFence(freed);
    }

    /** (e^a)² summed, with a weak reference to the storage of e^a, which only the graph holds. */
    private static Tensor lossWatchingItsActivation(Tensor a, List<WeakReference<Storage>> watch) {
        Tensor activation = a.exp();
        watch.add(new WeakReference<>(activation.storage()));
        return activation.mul(activation).sum();
    }
}
