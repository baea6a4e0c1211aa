package antidote.backend.cuda;

import antidote.backend.BinaryOp;
import antidote.backend.UnaryOp;
import antidote.core.DType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the PTX the build produced, without a GPU: one module per .cu file, every kernel the Java side
 * launches present for both dtypes (LaunchSignatureTest checks their parameters), the operation codes in step
 * with the Java enums, and ptxas (the same compiler the driver's JIT uses) accepting every module
 * for sm_80 and sm_90 under the declared PTX ISA. Skipped, with the reason, where the CUDA toolkit is absent.
 */
class PtxBuildTest {
    private static final Path SOURCES = Path.of("src/main/cuda");

    /** Per test, so that each skipped test reports why. */
    @BeforeEach
    void requirePtx() {
        assumeTrue(Toolkit.find("nvcc", "NVCC").isPresent(),
                "skipped: nvcc is not installed (not in NVCC, PATH or /usr/local/cuda/bin) or NVCC=none, so the build"
                        + " made no PTX to check; install the CUDA toolkit to build and check the GPU kernels");
    }

    @Test
    void everyCudaSourceHasItsModuleAndEveryModuleItsSource() throws IOException {
        Set<String> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3)).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(sources, new TreeSet<>(Kernel.modules()),
                "the .cu files of src/main/cuda and the modules named in Kernel must agree");
        assertEquals(List.of(), Ptx.missing(), "nvcc is installed but these PTX modules were not built");
    }

    @Test
    void everyKernelIsInItsModuleForBothDtypes() {
        for (Kernel kernel : Kernel.values()) {
            String ptx = ptx(kernel.module);
            for (DType dtype : DType.values()) {
                assertTrue(ptx.contains(".entry " + kernel.symbol(dtype) + "("),
                        kernel.symbol(dtype) + " is missing from " + kernel.module + ".ptx");
            }
        }
    }

    @Test
    void operationCodesMatchTheCudaEnums() throws IOException {
        String source = Files.readString(SOURCES.resolve("elementwise.cu"));
        List<String> unary = enumConstants(source, "UnaryCode");
        for (UnaryOp op : UnaryOp.values()) {
            assertEquals("U_" + op.name(), unary.get(OpCodes.of(op)), "code of " + op);
        }
        List<String> binary = enumConstants(source, "BinaryCode");
        for (BinaryOp op : BinaryOp.values()) {
            assertEquals("B_" + op.name(), binary.get(OpCodes.of(op)), "code of " + op);
        }
    }

    @Test
    void modulesDeclareTheConfiguredIsaAndTarget() {
        String isa = System.getProperty("cuda.ptx.isa");
        assumeTrue(isa != null, "skipped: cuda.ptx.isa is only passed by the Maven build");
        for (String module : Kernel.modules()) {
            String ptx = ptx(module);
            assertTrue(ptx.contains("\n.version " + isa + "\n"), module + ".ptx does not declare PTX ISA " + isa);
            assertTrue(ptx.contains("\n.target sm_75\n"), module + ".ptx is not for the compute_75 virtual architecture");
        }
    }

    @Test
    void ptxasAcceptsEveryModuleForSm80AndSm90(@TempDir Path dir) throws IOException, InterruptedException {
        Path ptxas = Toolkit.find("ptxas", "PTXAS").orElse(null);
        assumeTrue(ptxas != null, "skipped: ptxas is not installed (not in PTXAS, PATH or /usr/local/cuda/bin)");
        for (String module : Kernel.modules()) {
            Path file = dir.resolve(module + ".ptx");
            Files.writeString(file, ptx(module));
            for (String arch : new String[]{"sm_80", "sm_90"}) {
                Process p = new ProcessBuilder(ptxas.toString(), "-arch=" + arch, "-o", dir.resolve(module + ".cubin")
                        .toString(), file.toString()).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    fail("ptxas -arch=" + arch + " rejected " + module + ".ptx:\n" + output);
                }
            }
        }
    }

    private static String ptx(String module) {
        byte[] text = Ptx.read(module).orElseThrow(() -> new AssertionError(module + ".ptx is not on the class path"));
        // Without the NUL that Ptx.read appends for the driver.
        return new String(text, 0, text.length - 1, StandardCharsets.US_ASCII);
    }

    private static List<String> enumConstants(String source, String name) {
        Matcher m = Pattern.compile("enum " + name + " \\{([^}]*)}").matcher(source);
        assertTrue(m.find(), "enum " + name + " not found in elementwise.cu");
        return Arrays.stream(m.group(1).split(",")).map(String::trim).toList();
    }
}
