package antidote.nn.golden;

import antidote.core.DType;
import antidote.nn.io.NamedTensor;
import antidote.nn.io.SafeDType;
import antidote.nn.io.SafetensorsException;
import antidote.nn.io.SafetensorsFile;
import antidote.nn.io.SafetensorsWriter;
import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** F16, BF16 and I32 tensors read and write as PyTorch's {@code .half()}, {@code .bfloat16()} and int32. */
class DTypeGoldenTest {
    @TempDir
    Path dir;

    @Test
    void readsPyTorchsHalfAndBfloat16Exactly() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(GoldenFile.path("dtypes"))) {
            assertArrayEquals(read(f, "half_as_f32"), read(f, "half"), "F16 widened to float");
            assertArrayEquals(read(f, "bf16_as_f32"), read(f, "bf16"), "BF16 widened to float");
            assertEquals(7.0, f.read("counter_i32", DType.FLOAT32, GoldenFile.DEVICE).item(), "I32");
        }
    }

    @Test
    void writesPyTorchsRoundings() throws IOException {
        float[] x;
        float[] half;
        float[] bf16;
        try (SafetensorsFile f = SafetensorsFile.open(GoldenFile.path("dtypes"))) {
            x = read(f, "x");
            half = read(f, "half_as_f32");
            bf16 = read(f, "bf16_as_f32");
        }
        // Finite values that overflow F16 are refused by the writer (tested below), so they are left out here.
        int[] fits = IntStream.range(0, x.length).filter(i -> !(Float.isFinite(x[i]) && Float.isInfinite(half[i])))
                .toArray();
        assertTrue(fits.length < x.length && fits.length > 600, "the golden has values that overflow F16, many fit");
        assertArrayEquals(pick(half, fits), roundTrip(pick(x, fits), SafeDType.F16), "F16 rounding");
        assertArrayEquals(bf16, roundTrip(x, SafeDType.BF16), "BF16 rounding");
    }

    @Test
    void refusesValuesTooLargeForHalf() {
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> roundTrip(new float[] {1, 65520f}, SafeDType.F16));
        assertTrue(e.getMessage().contains("tensor 'v': value 65520.0 at index 1 is too large for F16"), e.getMessage());
    }

    private float[] roundTrip(float[] values, SafeDType type) throws IOException {
        Path file = dir.resolve(type + ".safetensors");
        Tensor v = Tensor.fromArray(values, values.length);
        SafetensorsWriter.write(file, List.of(new NamedTensor("v", type, v)), Map.of());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return read(f, "v");
        }
    }

    private static float[] read(SafetensorsFile f, String name) throws IOException {
        return f.read(name, DType.FLOAT32, GoldenFile.DEVICE).toFloatArray();
    }

    private static float[] pick(float[] v, int[] at) {
        float[] out = new float[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = v[at[i]];
        }
        return out;
    }
}
