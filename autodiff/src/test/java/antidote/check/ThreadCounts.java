package antidote.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a whole computation once per CPU thread count, each in a fresh JVM, because the CPU backend of a JVM is
 * created once, with {@code -Dantidote.threads}. The computation is a main class that prints a digest of its
 * result ({@link #digest}); the digests of the runs must then be equal.
 */
public final class ThreadCounts {
    /** How long one child JVM may run before the comparison fails: far above its seconds, far below a hang. */
    private static final long CHILD_LIMIT_MINUTES = 5;

    private ThreadCounts() {
    }

    /**
     * The last line {@code main} printed, once per entry of {@code threads}; the child runs on the CPU device with
     * this JVM's class path and the SIMD kernels.
     */
    public static List<String> outputs(Class<?> main, int[] threads, String... args) {
        List<String> outputs = new ArrayList<>();
        for (int t : threads) {
            outputs.add(run(main, t, args));
        }
        return outputs;
    }

    /** The SHA-256 of {@code bytes} in hex. */
    public static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The SHA-256 of the raw bits of {@code values}, in order. */
    public static String digest(List<float[]> values) {
        int total = values.stream().mapToInt(v -> v.length).sum();
        byte[] bytes = new byte[4 * total];
        int at = 0;
        for (float[] v : values) {
            for (float f : v) {
                int bits = Float.floatToRawIntBits(f);
                for (int b = 0; b < 4; b++) {
                    bytes[at++] = (byte) (bits >>> (8 * b));
                }
            }
        }
        return digest(bytes);
    }

    private static String run(Class<?> main, int threads, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx2g", "--add-modules", "jdk.incubator.vector", "-Dantidote.device=cpu",
                "-Dantidote.threads=" + threads, "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (InputStream in = child.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!child.waitFor(CHILD_LIMIT_MINUTES, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                throw new AssertionError(main.getName() + " on " + threads + " threads ran past "
                        + CHILD_LIMIT_MINUTES + " minutes");
            }
            if (child.exitValue() != 0) {
                String tail = output.substring(Math.max(0, output.length() - 2000));
                throw new AssertionError(main.getName() + " on " + threads + " threads exited with "
                        + child.exitValue() + "; its output ends: " + tail);
            }
            return output.substring(output.lastIndexOf('\n') + 1);
        } catch (IOException e) {
            throw new AssertionError("could not start a JVM for " + main.getName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + main.getName() + " ran on " + threads + " threads", e);
        }
    }
}
