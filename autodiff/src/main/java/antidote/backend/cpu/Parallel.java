package antidote.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a loop over {@code [0, count)} split into at most {@code threads} contiguous chunks, the first on the
 * calling thread and the others on this instance's own worker threads. Bodies must write disjoint outputs per
 * index, so the split never changes a result; work below {@code grain} runs entirely on the calling thread.
 * <p>
 * Workers and the waiting caller spin for a short while before they park: a SmallVgg step makes a few hundred
 * calls, and a hand-off through a thread pool's queue (unpark the worker, park the caller, unpark it again)
 * cost about 45 µs per call on the bench machine, 4-8% of a step.
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

    /**
     * How long an idle worker waits for the next call, and a caller for its workers, before parking. Longer
     * than most gaps between a step's kernels (allocation and graph bookkeeping), short enough that an idle
     * backend soon stops using a core.
     */
    private static final long SPIN_NANOS = 500_000;
    /** How long a parked worker waits for work before its thread ends (the next call starts a new one). */
    private static final long IDLE_EXIT_NANOS = 30_000_000_000L;

    private static final AtomicInteger POOL_COUNT = new AtomicInteger();

    private final int threads;
    private final long grain;
    private final Worker[] workers;
    /** Held while a call uses the workers; a concurrent or nested call runs its chunks on its own thread. */
    private final ReentrantLock busy = new ReentrantLock();

    Parallel(int threads, long grain) {
        this(threads, grain, IDLE_EXIT_NANOS);
    }

    /** As {@link #Parallel(int, long)}, with workers that end after {@code idleExitNanos} without work. */
    Parallel(int threads, long grain, long idleExitNanos) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads
                    + " (set -Dantidote.threads to a positive number)");
        }
        this.threads = threads;
        this.grain = grain;
        this.workers = new Worker[threads - 1];
        int pool = threads == 1 ? 0 : POOL_COUNT.incrementAndGet();
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("antidote-cpu-" + pool + "-" + (i + 1), idleExitNanos);
        }
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

    /**
     * Runs {@code body} over {@code [0, count)} cut into exactly {@code chunks} contiguous, numbered chunks. The
     * same chunks run one after another on the calling thread when the workers are taken (a call from another
     * thread, or from inside a body), so the result does not depend on who runs them.
     */
    void forChunks(int count, int chunks, Chunk body) {
        if (count <= 0) {
            return;
        }
        if (chunks == 1 || busy.isHeldByCurrentThread() || !busy.tryLock()) {
            for (int c = 0; c < chunks; c++) {
                body.run(c, bound(c, chunks, count), bound(c + 1, chunks, count));
            }
            return;
        }
        try {
            for (int c = 1; c < chunks; c++) {
                int chunk = c;
                int from = bound(c, chunks, count);
                int to = bound(c + 1, chunks, count);
                workers[c - 1].start(() -> body.run(chunk, from, to));
            }
            Throwable failure = null;
            try {
                body.run(0, 0, bound(1, chunks, count));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            // Every worker is waited for, even after a failure here: they still read the caller's arrays.
            for (int c = 1; c < chunks; c++) {
                Throwable f = workers[c - 1].await();
                failure = failure == null ? f : failure;
            }
            rethrow(failure);
        } finally {
            busy.unlock();
        }
    }

    private static int bound(int chunk, int chunks, int count) {
        return (int) ((long) count * chunk / chunks);
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("CPU kernel worker failed", failure);
        }
    }

    /**
     * One worker thread with a one-task slot. Hand-offs go through volatile fields; whoever may be parked
     * announces it before its last check, so a wake-up is never lost. The thread is a daemon (an idle backend
     * never keeps the JVM alive) and ends after {@code idleExitNanos} without work.
     */
    private static final class Worker implements Runnable {
        private final String name;
        private final long idleExitNanos;
        private volatile Runnable task;
        private volatile boolean finished;
        private volatile boolean parked;
        private volatile Thread waiter;
        private Throwable failure;
        /** The running thread, or null before the first task and after it ended; guarded by {@code this}. */
        private Thread thread;

        Worker(String name, long idleExitNanos) {
            this.name = name;
            this.idleExitNanos = idleExitNanos;
        }

        void start(Runnable job) {
            failure = null;
            finished = false;
            Thread running;
            synchronized (this) {
                task = job;
                if (thread == null) {
                    thread = new Thread(this, name);
                    thread.setDaemon(true);
                    thread.start();
                    return;
                }
                running = thread;
            }
            if (parked) {
                LockSupport.unpark(running);
            }
        }

        /** Waits until the task has run; returns what it threw, or null. */
        Throwable await() {
            long start = System.nanoTime();
            while (!finished) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                waiter = Thread.currentThread();
                if (!finished) {
                    LockSupport.park(this);
                }
                waiter = null;
            }
            return failure;
        }

        @Override
        public void run() {
            for (Runnable job = next(); job != null; job = next()) {
                try {
                    job.run();
                } catch (Throwable t) {
                    failure = t;
                }
                task = null;
                finished = true;
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }

        /** The next task, or null when none came for {@code idleExitNanos} (the thread then ends). */
        private Runnable next() {
            long start = System.nanoTime();
            while (true) {
                Runnable job = task;
                if (job != null) {
                    return job;
                }
                long idle = System.nanoTime() - start;
                if (idle < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (idle < idleExitNanos) {
                    parked = true;
                    if (task == null) {
                        LockSupport.parkNanos(this, idleExitNanos - idle);
                    }
                    parked = false;
                } else {
                    synchronized (this) {
                        if (task == null) {
                            thread = null;
                            return null;
                        }
                    }
                }
            }
        }
    }
}
