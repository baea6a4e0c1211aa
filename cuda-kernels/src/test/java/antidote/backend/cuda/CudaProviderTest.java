package antidote.backend.cuda;

import antidote.backend.BackendProvider;
import antidote.backend.Backends;
import antidote.core.Device;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery and the availability probe; runs everywhere, with or without a GPU. */
class CudaProviderTest {

    @Test
    void serviceLoaderFindsTheCudaProviderAboveTheCpu() {
        List<BackendProvider> cuda = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.kind().equals("cuda")).toList();
        assertEquals(1, cuda.size(), "exactly one provider of kind cuda");
        assertTrue(cuda.get(0) instanceof CudaProvider);
        assertTrue(cuda.get(0).priority() > 0, "cuda must outrank the cpu (priority 0)");
    }

    @Test
    void probeNeverThrowsAndExplainsWhyCudaIsUnavailable() {
        CudaProvider provider = new CudaProvider();
        Optional<String> reason = provider.unavailableReason();
        // Visible in the test output: which case this machine is.
        System.out.println("[cuda-kernels] cuda provider: " + reason.map(r -> "unavailable: " + r).orElse("available"));
        if (reason.isEmpty()) {
            return;
        }
        assertTrue(reason.get().length() > 20, "the reason must say what is missing: " + reason.get());
        assertTrue(Backends.describe().contains("cuda (unavailable: "), Backends.describe());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> provider.create(0));
        assertTrue(e.getMessage().contains(reason.get()), e.getMessage());
        if (System.getProperty("antidote.device") == null && System.getenv("ANTIDOTE_DEVICE") == null) {
            assertNotEquals("cuda", Backends.defaultDevice().kind(), "an unavailable provider is never the default");
        }
        IllegalStateException viaBackends = assertThrows(IllegalStateException.class,
                () -> Backends.get(new Device("cuda", 0)));
        assertTrue(viaBackends.getMessage().contains("not usable here"), viaBackends.getMessage());
    }
}
