package antidote.backend.cuda;

import antidote.tensor.Tensor;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps a loop's device memory flat however many steps it runs. Each step runs in its own {@link MemoryScope}; when
 * it ends, the buffers of the tensors {@code state} then returns (a model's parameters and buffers, an optimizer's
 * moments) survive, everything else the step allocated is released, and so are the survivors of earlier steps that
 * the state no longer holds (the weights an optimizer step replaced). Buffers allocated outside the steps are never
 * released here. A step should return host values (a loss as a double), not tensors. Where no CUDA buffer is
 * allocated (the CPU backend) it only runs the steps.
 */
public final class StepMemory {
    private final Supplier<? extends Collection<Tensor>> state;
    /** Buffers allocated inside a step that the state held when that step ended. */
    private final Set<DeviceBuffer> survivors = Collections.newSetFromMap(new IdentityHashMap<>());

    /** @param state the tensors that must outlive each step, asked for after every step */
    public StepMemory(Supplier<? extends Collection<Tensor>> state) {
        this.state = state;
    }

    /** Runs one step. */
    public void run(Runnable step) {
        call(() -> {
            step.run();
            return null;
        });
    }

    /** Runs one step and returns its (host) result. */
    public <T> T call(Supplier<T> step) {
        MemoryScope scope = MemoryScope.open();
        try {
            return step.get();
        } finally {
            // After a failure too: the state (the last good weights) must stay usable, e.g. to write a checkpoint.
            Set<DeviceBuffer> now = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Tensor t : state.get()) {
                if (t.storage() instanceof DeviceBuffer buffer) {
                    now.add(buffer);
                }
            }
            for (DeviceBuffer buffer : now) {
                if (scope.owns(buffer)) {
                    scope.keep(buffer);
                    survivors.add(buffer);
                }
            }
            for (Iterator<DeviceBuffer> it = survivors.iterator(); it.hasNext(); ) {
                DeviceBuffer buffer = it.next();
                if (!now.contains(buffer)) {
                    buffer.release();
                    it.remove();
                }
            }
            scope.close();
        }
    }
}
