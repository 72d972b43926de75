package org.ndis4j.benchmarks;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The baseline: a plain fixed ThreadPoolExecutor, and helpers shared by the benchmarks. */
final class Pools {

    private Pools() {}

    /** A fixed pool of {@code threads} prestarted threads named {@code <name>-<i>}. */
    static ThreadPoolExecutor fixedPool(String name, int threads) {
        int[] n = {0};
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-" + n[0]++);
                    t.setDaemon(true);
                    return t;
                });
        pool.prestartAllCoreThreads();
        return pool;
    }

    static Thread[] threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix))
                .toArray(Thread[]::new);
    }

    /** Waits until every thread is parked (WAITING or TIMED_WAITING): the pool is idle. */
    static void awaitIdle(Thread[] threads) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : threads) {
            for (; ; ) {
                Thread.State s = t.getState();
                if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(t.getName() + " did not go idle: " + s);
                }
                LockSupport.parkNanos(1_000);
            }
        }
    }

    static void shutdown(ThreadPoolExecutor pool) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("baseline pool did not terminate");
        }
    }
}
