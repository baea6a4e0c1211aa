package antidote.cli;

import antidote.backend.cuda.CudaProvider;
import antidote.core.Device;
import antidote.pipeline.DeviceSelection;
import antidote.report.Provenance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code --device}: auto falls back to the CPU and says why; cuda without a GPU fails at once in one line. */
class DeviceOptionTest {
    private String saved;

    @BeforeEach
    void saveDevice() {
        saved = System.getProperty("antidote.device");
    }

    @AfterEach
    void restoreDevice() {
        if (saved == null) {
            System.clearProperty("antidote.device");
        } else {
            System.setProperty("antidote.device", saved);
        }
    }

    @Test
    void everyComputingCommandTakesTheDeviceOption() {
        for (String command : new String[]{"train", "evaluate", "defend", "reproduce"}) {
            StringWriter out = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.execute(command, "--help");
            assertTrue(out.toString().contains("--device"), command + ": " + out);
        }
    }

    @Test
    void autoIsTheCpuWithTheReasonWhenNoGpuIsUsable() {
        Optional<String> unavailable = new CudaProvider().unavailableReason();
        assumeTrue(unavailable.isPresent(), "this machine has a usable GPU");
        DeviceSelection.Choice c = DeviceSelection.select("auto");
        assertEquals(Device.CPU, c.device());
        assertTrue(c.reason().contains(unavailable.get()), c.reason());
        Map<String, Object> p = Provenance.describe();
        assertEquals("cpu", p.get("device"));
        assertTrue(p.get("device_reason").toString().startsWith("auto: no usable GPU"), p.toString());
        assertFalse(p.containsKey("gpu"), p.toString());
    }

    @Test
    void cudaWithoutAGpuFailsAtOnceWithOneLineNamingWhatIsMissing(@TempDir Path out) {
        Optional<String> unavailable = new CudaProvider().unavailableReason();
        assumeTrue(unavailable.isPresent(), "this machine has a usable GPU");
        for (String device : new String[]{"cuda", "cuda:1"}) {
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err));
            int code = cl.execute("train", "--device", device, "--out", out.resolve("run").toString());
            assertEquals(1, code, err.toString());
            assertEquals(1, err.toString().lines().count(), "one line, no stack trace: " + err);
            String line = err.toString().strip();
            assertTrue(line.startsWith("antidote train: --device " + device + ": "), line);
            assertTrue(line.contains(unavailable.get()), line);
            assertTrue(line.matches(".*(libcuda\\.so\\.1|PTX|CUDA device|native library).*"), line);
        }
        assertFalse(out.resolve("run").toFile().exists(), "nothing may run before the device is checked");
    }

    @Test
    void aDeviceThatIsNeitherCpuNorCudaIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceSelection.select("tpu"));
        assertTrue(e.getMessage().startsWith("--device tpu: no backend for device 'tpu'"), e.getMessage());
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> DeviceSelection.select("cuda:x"));
        assertTrue(malformed.getMessage().contains(DeviceSelection.FORMS), malformed.getMessage());
    }

    @Test
    void cpuIsChosenAsAskedAndBecomesTheDefaultDevice() {
        DeviceSelection.select("cpu");
        assertEquals("cpu", System.getProperty("antidote.device"));
        assertEquals("--device cpu", Provenance.describe().get("device_reason"));
    }
}
