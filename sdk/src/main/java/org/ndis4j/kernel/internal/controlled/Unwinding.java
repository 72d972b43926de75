package org.ndis4j.kernel.internal.controlled;

import java.util.concurrent.locks.LockSupport;

/**
 * The end of a run, after its result is fixed: every context still alive is handed the turn with
 * abort set, one at a time, and the ending thread (JUnit's, outside the run) waits a few seconds at
 * most for each one's thread to be back in the pool. Apart from {@link World} because it is the one
 * part of the world that runs on a thread without the turn, with wall-clock deadlines.
 */
final class Unwinding {

    private static final long UNWIND_TIMEOUT_NANOS = 5_000_000_000L;

    private final World world;
    /** The thread unwinding the run, woken as each context's thread is released. */
    private volatile Thread ender;

    Unwinding(World world) {
        this.world = world;
    }

    /** Unwinds every context but the test context, from the calling thread. */
    void unwindAll() {
        ender = Thread.currentThread();
        for (Context c : world.contexts()) {
            if (c == world.test() || c.thread == null || c.released) {
                continue;
            }
            c.abort = true;
            world.turn().grantForUnwind(c);
            awaitReleased(c);
        }
        world.turn().grantForUnwind(null);
    }

    /**
     * Waits (from outside the run) until {@code c}'s thread is back in the pool, at most a few
     * seconds: a context stuck outside the scheduler has been reported already.
     */
    void awaitReleased(Context c) {
        ender = Thread.currentThread();
        long deadline = System.nanoTime() + UNWIND_TIMEOUT_NANOS;
        while (!c.released) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt(); // the caller's to handle
                return;
            }
            LockSupport.parkNanos(world, left);
        }
    }

    /** {@code c}'s thread left it for the pool. */
    void released(Context c) {
        c.released = true;
        Thread t = ender;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
