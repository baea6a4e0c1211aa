package antidote.grad;

/** Whether ops record graph nodes on the current thread; on by default. */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Turns recording off until the returned scope is closed: {@code try (var off = GradMode.disabled()) {...}}. */
    public static Scope disabled() {
        return set(false);
    }

    /** Turns recording on until the returned scope is closed (used to build differentiable gradients). */
    public static Scope enabled() {
        return set(true);
    }

    private static Scope set(boolean on) {
        boolean previous = ENABLED.get();
        ENABLED.set(on);
        return () -> ENABLED.set(previous);
    }

    /** Restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
