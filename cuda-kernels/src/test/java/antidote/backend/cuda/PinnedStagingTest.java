package antidote.backend.cuda;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the page-locked staging buffer receives: the host buffer's remaining elements, bit for bit, in the
 * machine's byte order (the device reads them as they lie), with the host buffer left as it was.
 */
class PinnedStagingTest {

    @Test
    void floatsFromTheirPositionInNativeOrder() {
        FloatBuffer host = FloatBuffer.wrap(new float[] {9, 1.5f, -0f, Float.NaN, 3e-39f});
        host.position(1);
        ByteBuffer staged = ByteBuffer.allocateDirect(16);
        PinnedStaging.fill(staged, host);
        float[] read = new float[4];
        staged.order(ByteOrder.nativeOrder()).asFloatBuffer().get(read);
        assertArrayEquals(new float[] {1.5f, -0f, Float.NaN, 3e-39f}, read);
        assertEquals(1, host.position(), "the host buffer's position is left alone");
    }

    @Test
    void doublesAndInts() {
        ByteBuffer staged = ByteBuffer.allocateDirect(16);
        PinnedStaging.fill(staged, DoubleBuffer.wrap(new double[] {Math.PI, -2}));
        double[] doubles = new double[2];
        staged.order(ByteOrder.nativeOrder()).asDoubleBuffer().get(doubles);
        assertArrayEquals(new double[] {Math.PI, -2}, doubles);

        PinnedStaging.fill(staged, IntBuffer.wrap(new int[] {7, -1, Integer.MIN_VALUE, 0}));
        int[] ints = new int[4];
        staged.order(ByteOrder.nativeOrder()).asIntBuffer().get(ints);
        assertArrayEquals(new int[] {7, -1, Integer.MIN_VALUE, 0}, ints);
    }

    @Test
    void otherBuffersAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> PinnedStaging.fill(ByteBuffer.allocateDirect(4), CharBuffer.wrap("ab")));
    }
}
