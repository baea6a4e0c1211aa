package antidote.backend.cuda;

import antidote.backend.Backend;
import antidote.check.BackendConformance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole conformance suite on the CUDA backend's own kernels, run by the CPU emulator ({@link EmulatedGpu}):
 * the kernels' logic and every host-side step of the backend, without a GPU. Skipped, with the reason, where
 * g++ (C++20, with AddressSanitizer) is not available. The backend is seen through a recorder, and once the whole
 * suite has run, every method of {@link Backend} must have been called: a kernel the CUDA backend has, or the
 * composition of other kernels that {@link Backend}'s default gives it, is then tested on this backend.
 */
class EmulatedCudaBackendTest extends BackendConformance {
    private static final Set<String> CALLED = ConcurrentHashMap.newKeySet();
    private static int testsRun;

    @Override
    protected Backend backend() {
        Backend backend = EmulatedCudaProvider.backend().orElse(null);
        assumeTrue(backend != null, () -> "skipped: " + EmulatedCudaProvider.whyUnavailable().orElse(""));
        return recording(backend);
    }

    @Override
    protected double float32Tolerance() {
        return 1e-5;
    }

    @AfterEach
    void countTest() {
        testsRun++;
    }

    /** Only after a full run of the suite (not a filtered one) is every method expected to have been called. */
    @AfterAll
    static void everyBackendMethodWasExercised() {
        long suiteSize = Arrays.stream(BackendConformance.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class)).count();
        if (testsRun < suiteSize || EmulatedCudaProvider.backend().isEmpty()) {
            return;
        }
        Set<String> missing = new TreeSet<>();
        for (Method m : Backend.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && !m.getName().equals("device") && !CALLED.contains(key(m))) {
                missing.add(key(m));
            }
        }
        assertEquals(Set.of(), missing, "Backend methods the conformance suite never called on the CUDA backend");
    }

    /** {@code backend} behind a proxy that notes each Backend method called (default methods included). */
    private static Backend recording(Backend backend) {
        InvocationHandler handler = (proxy, method, args) -> {
            CALLED.add(key(method));
            try {
                return method.invoke(backend, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                handler);
    }

    /** Name and parameter count: tells the overloads apart. */
    private static String key(Method m) {
        return m.getName() + "/" + m.getParameterCount();
    }
}
