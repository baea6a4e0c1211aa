package antidote.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The NVIDIA driver version in a report's provenance, read from the kernel module's files (no GPU needed). */
class DriverVersionTest {
    @Test
    void proprietaryModule() {
        assertEquals("535.104.05", CudaContext.driverVersionIn("NVRM version: NVIDIA UNIX x86_64 Kernel Module  "
                + "535.104.05  Sat Aug 19 01:15:15 UTC 2023\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n"));
    }

    /** The open module names the architecture after "Kernel Module" (Hopper machines run it). */
    @Test
    void openModule() {
        assertEquals("580.159.04", CudaContext.driverVersionIn("NVRM version: NVIDIA UNIX Open Kernel Module for "
                + "x86_64  580.159.04  Release Build  (dvs-builder@U22-I3-AE18-23-3)  Thu Oct  9 2025\n"
                + "GCC version:  gcc version 13.3.0 (Ubuntu 13.3.0-6ubuntu2~24.04)\n"));
    }

    @Test
    void sysfsHoldsTheBareVersion() {
        assertEquals("580.159.04", CudaContext.driverVersionIn("580.159.04\n"));
    }

    @Test
    void noVersion() {
        assertNull(CudaContext.driverVersionIn("something else 12\n"));
    }
}
