package antidote.backend.cuda;

import antidote.backend.Storage;
import antidote.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Owns the CUDA buffers allocated on its thread while it is open, and returns them to the device's pool when
 * it closes, instead of waiting for the garbage collector (which knows nothing of GPU memory pressure):
 *
 * <pre>{@code
 * try (MemoryScope step = MemoryScope.open()) {
 *     Tensor loss = model.forward(x).crossEntropy(y);
 *     ...
 *     step.keep(newWeights);   // survives the scope; everything else allocated inside is released
 * }
 * }</pre>
 *
 * Scopes nest: a kept buffer moves to the enclosing scope, or, at the outermost level, is left to the Cleaner,
 * which also releases buffers allocated outside any scope once they become unreachable. A tensor whose buffer
 * was released throws when a kernel reads it. Scopes are confined to the thread that opened them.
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<MemoryScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final Thread owner = Thread.currentThread();
    private final Set<DeviceBuffer> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private MemoryScope() {
    }

    /** Opens a scope on the current thread; it owns what this thread allocates until it, or an inner scope, closes. */
    public static MemoryScope open() {
        MemoryScope scope = new MemoryScope();
        OPEN.get().push(scope);
        return scope;
    }

    /** Called for every new buffer: the innermost open scope of the allocating thread takes it. */
    static void adopt(DeviceBuffer buffer) {
        MemoryScope innermost = OPEN.get().peek();
        if (innermost != null) {
            innermost.owned.add(buffer);
        }
    }

    /** Lets {@code tensor}'s memory outlive this scope; returns the tensor. */
    public Tensor keep(Tensor tensor) {
        keep(tensor.storage());
        return tensor;
    }

    /** Lets {@code storage} outlive this scope (it moves to the enclosing scope, if any); returns it. */
    public Storage keep(Storage storage) {
        checkOwner("keep");
        if (storage instanceof DeviceBuffer buffer && owned.remove(buffer)) {
            ArrayDeque<MemoryScope> open = OPEN.get();
            // This scope is on the stack (not closed); the one below it encloses it.
            MemoryScope parent = null;
            boolean below = false;
            for (MemoryScope s : open) {
                if (below) {
                    parent = s;
                    break;
                }
                below = s == this;
            }
            if (parent != null) {
                parent.owned.add(buffer);
            }
        }
        return storage;
    }

    /** Releases every buffer still owned. Scopes close innermost first, as try-with-resources does. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkOwner("close");
        ArrayDeque<MemoryScope> open = OPEN.get();
        if (open.peek() != this) {
            throw new IllegalStateException("MemoryScope closed while an inner scope is still open;"
                    + " close scopes in reverse order of opening (use try-with-resources)");
        }
        open.pop();
        closed = true;
        owned.forEach(DeviceBuffer::release);
        owned.clear();
    }

    /** True when this scope would release {@code buffer} on closing. */
    boolean owns(DeviceBuffer buffer) {
        return owned.contains(buffer);
    }

    /** Number of buffers this scope would release now. */
    int ownedCount() {
        return owned.size();
    }

    private void checkOwner(String action) {
        if (closed) {
            throw new IllegalStateException("MemoryScope." + action + " after close");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("MemoryScope." + action + " from thread " + Thread.currentThread().getName()
                    + ", but the scope belongs to " + owner.getName() + "; scopes are confined to their thread");
        }
    }
}
