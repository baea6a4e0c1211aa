package antidote.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The batches of one epoch, in order; iterate it once. With prefetch on, one daemon thread assembles batch
 * b+1 while the caller works on batch b. The thread stops when the epoch is exhausted or {@link #close()}d,
 * and exits by itself after a few idle seconds if an unfinished epoch is abandoned.
 */
public final class Epoch implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
    private final Loader loader;
    private final int epoch;
    private final int[] order;
    private final int numBatches;
    private final ExecutorService prefetcher;
    private Future<Batch> pending;
    private int next;
    private boolean iterated;
    private boolean closed;

    Epoch(Loader loader, int epoch, int[] order, int numBatches, boolean prefetch) {
        this.loader = loader;
        this.epoch = epoch;
        this.order = order;
        this.numBatches = numBatches;
        this.prefetcher = prefetch && numBatches > 1 ? newPrefetchThread() : null;
        if (prefetcher != null) {
            pending = prefetcher.submit(() -> loader.assemble(epoch, order, 0));
        }
    }

    private static ExecutorService newPrefetchThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "antidote-loader-prefetch");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** The epoch number these batches belong to. */
    public int number() {
        return epoch;
    }

    /** Batches in this epoch. */
    public int numBatches() {
        return numBatches;
    }

    /** This epoch as an {@link Iterable}, for use in a for-each loop; it can be iterated only once. */
    @Override
    public Iterator<Batch> iterator() {
        if (iterated) {
            throw new IllegalStateException("an Epoch can be iterated only once; call loader.epoch(" + epoch + ") again");
        }
        iterated = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        return !closed && next < numBatches;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "epoch " + epoch + " is closed" : "epoch " + epoch + " has only "
                    + numBatches + " batches");
        }
        Batch batch = pending != null ? await(pending) : loader.assemble(epoch, order, next);
        next++;
        pending = null;
        if (prefetcher != null) {
            if (next < numBatches) {
                int ahead = next;
                pending = prefetcher.submit(() -> loader.assemble(epoch, order, ahead));
            } else {
                prefetcher.shutdown();
            }
        }
        return batch;
    }

    private Batch await(Future<Batch> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + next + " of epoch " + epoch, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("assembling batch " + next + " of epoch " + epoch + " failed", e.getCause());
        }
    }

    /** Stops the prefetch thread; further calls to {@link #next()} fail. */
    @Override
    public void close() {
        closed = true;
        if (prefetcher != null) {
            prefetcher.shutdownNow();
        }
        pending = null;
    }
}
