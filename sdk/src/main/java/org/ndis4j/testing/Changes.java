package org.ndis4j.testing;

/**
 * The one signal every wait of the test kit sleeps on: whatever may end a wait — a recorder that
 * recorded something, a kernel that crashed, a test body that returned — calls {@link #signal()},
 * and every waiter checks its own condition again. One JVM-wide monitor keeps it simple: a wake-up
 * that was not for a waiter costs it one look at its condition.
 */
final class Changes {

    /** Guards {@link #version}. */
    private static final Object LOCK = new Object();

    private static long version;

    private Changes() {}

    /** The number of signals so far; pass it to {@link #awaitAfter} to miss none. */
    static long version() {
        synchronized (LOCK) {
            return version;
        }
    }

    /** Wakes every waiter. Any thread, any IRQL: it only takes a monitor for a moment. */
    static void signal() {
        synchronized (LOCK) {
            version++;
            LOCK.notifyAll();
        }
    }

    /**
     * Waits until a signal later than {@code seen}, or {@code nanos}, or an interrupt. Returns at once
     * when such a signal already came.
     */
    static void awaitAfter(long seen, long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        long millis = nanos / 1_000_000;
        int rest = (int) (nanos % 1_000_000);
        synchronized (LOCK) {
            if (version == seen) {
                LOCK.wait(millis, rest);
            }
        }
    }
}
