package org.ndis4j.wire;

import org.slf4j.Logger;

/**
 * A WARN logger for lines that a peer can cause at will (bad frames, refused connections, timeouts):
 * at most {@link #BURST} lines per {@link #WINDOW_NANOS}; past that, lines are counted and the next
 * line after the window says how many were left out. Ten thousand hostile connections then cost a
 * handful of lines, not ten thousand. Thread-safe.
 */
final class RateLimitedLog {

    static final int BURST = 10;
    static final long WINDOW_NANOS = 10_000_000_000L;

    private final Logger log;
    /** Guarded by this. */
    private long windowStart = System.nanoTime();

    private int lines;
    private long suppressed;

    RateLimitedLog(Logger log) {
        this.log = log;
    }

    void warn(String format, Object... args) {
        if (!log.isWarnEnabled()) {
            return;
        }
        long left;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStart > WINDOW_NANOS) {
                windowStart = now;
                lines = 0;
            }
            if (lines >= BURST) {
                suppressed++;
                return;
            }
            lines++;
            left = suppressed;
            suppressed = 0;
        }
        if (left != 0) {
            log.warn("({} similar lines left out in the last {} s)", left, WINDOW_NANOS / 1_000_000_000L);
        }
        log.warn(format, args);
    }
}
