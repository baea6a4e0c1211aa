package antidote.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a loop over {@code [0, count)} split into at most {@code threads} contiguous chunks, the first on the
 * calling thread and the others on a fixed pool. Bodies must write disjoint outputs per index, so the split
 * never changes a result; work below {@code grain} runs entirely on the calling thread.
 */
final class Parallel {
    /** A loop body over the index range {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** A loop body over the index range {@code [from, to)} that is chunk number {@code chunk}. */
    @FunctionalInterface
    interface Chunk {
        void run(int chunk, int from, int to);
    }

    private static final AtomicInteger POOL_COUNT = new AtomicInteger();

    private final int threads;
    private final long grain;
    /** Null when {@code threads == 1}: the calling thread does all the work. */
    private final ThreadPoolExecutor workers;

    Parallel(int threads, long grain) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads
                    + " (set -Dantidote.threads to a positive number)");
        }
        this.threads = threads;
        this.grain = grain;
        if (threads == 1) {
            workers = null;
            return;
        }
        int pool = POOL_COUNT.incrementAndGet();
        AtomicInteger workerCount = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread t = new Thread(task, "antidote-cpu-" + pool + "-" + workerCount.incrementAndGet());
            // Daemon so that an idle backend never keeps the JVM alive.
            t.setDaemon(true);
            return t;
        };
        workers = new ThreadPoolExecutor(threads - 1, threads - 1, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        // Idle workers exit, so a backend that is dropped leaves no threads behind.
        workers.allowCoreThreadTimeOut(true);
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, count)}; {@code costPerItem} is the rough number of scalar operations
     * per index, compared with the grain to decide whether splitting pays for the hand-off.
     */
    void forRange(int count, long costPerItem, Range body) {
        forChunks(count, chunks(count, costPerItem), (chunk, from, to) -> body.run(from, to));
    }

    /**
     * How many chunks {@link #forRange} splits {@code count} items of {@code costPerItem} into: 1 below the
     * grain, otherwise one per thread (at most one per item); 0 for no items.
     */
    int chunks(int count, long costPerItem) {
        if (count <= 0) {
            return 0;
        }
        int chunks = Math.min(threads, count);
        return chunks == 1 || (long) count * costPerItem < grain ? 1 : chunks;
    }

    /** Runs {@code body} over {@code [0, count)} cut into exactly {@code chunks} contiguous, numbered chunks. */
    void forChunks(int count, int chunks, Chunk body) {
        if (count <= 0) {
            return;
        }
        if (chunks == 1) {
            body.run(0, 0, count);
            return;
        }
        List<Future<?>> pending = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int chunk = c;
            int from = bound(c, chunks, count);
            int to = bound(c + 1, chunks, count);
            pending.add(workers.submit(() -> body.run(chunk, from, to)));
        }
        body.run(0, 0, bound(1, chunks, count));
        for (Future<?> f : pending) {
            join(f);
        }
    }

    private static int bound(int chunk, int chunks, int count) {
        return (int) ((long) count * chunk / chunks);
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("CPU kernel worker failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for CPU kernel workers", e);
        }
    }
}
