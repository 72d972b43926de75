package org.ndis4j.testing;

import java.time.Duration;

/**
 * A point in time at which a wait of the test kit gives up. This is the kit's only clock: every
 * await, the per-test timeout and the crash grace read it here, so that the deterministic mode
 * (virtual time, issue 15) can replace it in one place. The kernel's own waits go through its
 * scheduler seam instead.
 */
final class Deadline {

    /** A deadline that never comes. */
    static final Deadline NEVER = new Deadline(null, Long.MAX_VALUE);

    private final Duration timeout;
    private final long end;

    private Deadline(Duration timeout, long end) {
        this.timeout = timeout;
        this.end = end;
    }

    /** {@code timeout} from now; null means never. */
    static Deadline after(Duration timeout) {
        if (timeout == null) {
            return NEVER;
        }
        return new Deadline(timeout, now() + timeout.toNanos());
    }

    /** The timeout this deadline was made with, or null for {@link #NEVER}. */
    Duration timeout() {
        return timeout;
    }

    /** Nanoseconds left, 0 once expired; {@code Long.MAX_VALUE} for {@link #NEVER}. */
    long remainingNanos() {
        if (this == NEVER) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, end - now());
    }

    boolean expired() {
        return remainingNanos() == 0;
    }

    private static long now() {
        return System.nanoTime();
    }
}
