package antidote.backend.cpu;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-off between the caller and the spinning workers: coverage, failures, nesting, concurrency, restarts. */
class ParallelTest {
    private static final Duration DEADLOCK_LIMIT = Duration.ofSeconds(30);

    @Test
    void everyIndexRunsOnceInTheSameChunksOnAnyThreadCount() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel parallel = new Parallel(threads, 1);
            for (int count : new int[]{1, 2, 5, 1000}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(count);
                int[] chunkOf = new int[count];
                int chunks = parallel.chunks(count, 1);
                for (int repeat = 0; repeat < 200; repeat++) {
                    parallel.forChunks(count, chunks, (chunk, from, to) -> {
                        for (int i = from; i < to; i++) {
                            runs.incrementAndGet(i);
                            chunkOf[i] = chunk;
                        }
                    });
                }
                for (int i = 0; i < count; i++) {
                    assertEquals(200, runs.get(i), "index " + i + " of " + count + " on " + threads + " threads");
                    assertEquals(expectedChunk(i, chunks, count), chunkOf[i], "chunk of index " + i);
                }
            }
        }
    }

    @Test
    void forRangeRunsEveryIndexOnceOnAnyThreadCount() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel parallel = new Parallel(threads, 1);
            for (int count : new int[]{1, 2, 7, 1000}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(count);
                for (int repeat = 0; repeat < 200; repeat++) {
                    parallel.forRange(count, 1, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            runs.incrementAndGet(i);
                        }
                    });
                }
                for (int i = 0; i < count; i++) {
                    assertEquals(200, runs.get(i), "index " + i + " of " + count + " on " + threads + " threads");
                }
            }
        }
    }

    /** Chunk c holds [count·c/chunks, count·(c+1)/chunks). */
    private static int expectedChunk(int index, int chunks, int count) {
        int chunk = 0;
        while ((long) count * (chunk + 1) / chunks <= index) {
            chunk++;
        }
        return chunk;
    }

    @Test
    void aFailureOnAWorkerOrTheCallerReachesTheCallerAndTheWorkersStayUsable() {
        Parallel parallel = new Parallel(2, 1);
        IllegalStateException onWorker = new IllegalStateException("worker chunk");
        assertSame(onWorker, assertThrows(IllegalStateException.class, () -> parallel.forChunks(10, 2,
                (chunk, from, to) -> {
                    if (chunk == 1) {
                        throw onWorker;
                    }
                })));
        AssertionError onCaller = new AssertionError("caller chunk");
        assertSame(onCaller, assertThrows(AssertionError.class, () -> parallel.forChunks(10, 2, (chunk, from, to) -> {
            if (chunk == 0) {
                throw onCaller;
            }
        })));
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        parallel.forRange(10, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                runs.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 10; i++) {
            assertEquals(1, runs.get(i));
        }
    }

    @Test
    void aCallFromInsideABodyRunsOnItsOwnThreadInsteadOfDeadlocking() {
        Parallel parallel = new Parallel(2, 1);
        AtomicIntegerArray runs = new AtomicIntegerArray(16);
        assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> parallel.forRange(4, 1, (from, to) -> {
            for (int outer = from; outer < to; outer++) {
                int base = outer * 4;
                parallel.forRange(4, 1, (f, t) -> {
                    for (int i = f; i < t; i++) {
                        runs.incrementAndGet(base + i);
                    }
                });
            }
        }));
        for (int i = 0; i < 16; i++) {
            assertEquals(1, runs.get(i), "index " + i);
        }
    }

    @Test
    void concurrentCallersAllGetTheirWholeRange() throws Exception {
        Parallel parallel = new Parallel(2, 1);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int caller = 0; caller < 4; caller++) {
                int offset = caller;
                results.add(callers.submit(() -> {
                    long[] sums = new long[100];
                    for (int repeat = 0; repeat < 100; repeat++) {
                        long[] out = new long[1000];
                        parallel.forRange(1000, 1, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                out[i] = i + offset;
                            }
                        });
                        for (long v : out) {
                            sums[repeat] += v;
                        }
                    }
                    return sums;
                }));
            }
            for (int caller = 0; caller < 4; caller++) {
                long expected = 999L * 1000 / 2 + 1000L * caller;
                Future<long[]> result = results.get(caller);
                long[] sums = assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> result.get());
                for (long sum : sums) {
                    assertEquals(expected, sum, "caller " + caller);
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void workersThatEndedWhenIdleAreStartedAgain() throws InterruptedException {
        Parallel parallel = new Parallel(2, 1, 1_000_000);
        Set<String> workerNames = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 3; round++) {
            assertTimeoutPreemptively(DEADLOCK_LIMIT, () -> parallel.forChunks(2, 2, (chunk, from, to) -> {
                if (chunk == 1) {
                    workerNames.add(Thread.currentThread().getName());
                }
            }));
            Thread.sleep(50);
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(
                    t -> workerNames.contains(t.getName()) && t.isAlive()), "an idle worker should have ended");
        }
        assertEquals(1, workerNames.size(), "one worker slot, restarted under the same name: " + workerNames);
    }
}
