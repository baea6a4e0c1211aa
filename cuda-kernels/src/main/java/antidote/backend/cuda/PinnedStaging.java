package antidote.backend.cuda;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.logging.Logger;

/**
 * Host-to-device copies of large arrays (a batch of images) through one page-locked host buffer: the driver copies
 * pageable Java memory through its own staging area in pieces, while from page-locked memory the DMA engine reads
 * the whole array at once. The buffer grows to the largest copy seen and is reused; if the driver refuses to lock
 * more memory, copies go on from pageable memory.
 */
final class PinnedStaging {
    /** Copies below this stay pageable: the extra host copy would cost more than the faster transfer saves. */
    static final long MIN_BYTES = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(PinnedStaging.class.getName());

    private Pointer pinned;
    private long capacity;
    private boolean refused;

    /** Copies all remaining elements of {@code host} to {@code dst}; returns once the device holds them. */
    synchronized void upload(CUdeviceptr dst, Buffer host, long bytes) {
        if (bytes < MIN_BYTES || refused || !reserve(bytes)) {
            JCudaDriver.cuMemcpyHtoD(dst, Pointer.toBuffer(host), bytes);
            return;
        }
        fill(pinned.getByteBuffer(0, bytes), host);
        // From page-locked memory the copy is synchronous with the host: the buffer is free again on return.
        JCudaDriver.cuMemcpyHtoD(dst, pinned, bytes);
    }

    /** A page-locked buffer of at least {@code bytes}; false (for good) when the driver refuses one. */
    private boolean reserve(long bytes) {
        if (bytes <= capacity) {
            return true;
        }
        long size = Long.highestOneBit(bytes - 1) << 1;
        Pointer bigger = new Pointer();
        try {
            JCudaDriver.cuMemHostAlloc(bigger, size, 0);
        } catch (CudaException e) {
            refused = true;
            LOG.info("page-locked host memory refused (" + e.getMessage() + "); uploads stay pageable");
            return false;
        }
        if (pinned != null) {
            JCudaDriver.cuMemFreeHost(pinned);
        }
        pinned = bigger;
        capacity = size;
        return true;
    }

    /** Writes the remaining elements of {@code host} (float, double or int) into {@code target}, native order. */
    static void fill(ByteBuffer target, Buffer host) {
        ByteBuffer out = target.order(ByteOrder.nativeOrder());
        if (host instanceof FloatBuffer f) {
            out.asFloatBuffer().put(f.duplicate());
        } else if (host instanceof DoubleBuffer d) {
            out.asDoubleBuffer().put(d.duplicate());
        } else if (host instanceof IntBuffer i) {
            out.asIntBuffer().put(i.duplicate());
        } else {
            throw new IllegalArgumentException("only float, double and int buffers are copied, not " + host);
        }
    }
}
