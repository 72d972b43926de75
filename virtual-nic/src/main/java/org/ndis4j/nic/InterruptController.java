package org.ndis4j.nic;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.ndis4j.hw.InterruptLine;
import org.ndis4j.nic.regs.HardwareLimits;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.StatisticsCounter;

/**
 * Interrupt cause, mask and moderation logic (registers ICR, ICS, IMS, IMC, ITR).
 *
 * <p>The device's interrupt output is <em>asserted</em> while {@code ICR & IMS != 0}. Each time it
 * becomes asserted the device raises the {@link InterruptLine} once (a message-signalled interrupt);
 * while it stays asserted, further causes accumulate in ICR without another raise. It is deasserted
 * when the driver reads ICR (which clears every cause) or masks every pending cause through IMC;
 * the next cause, or an IMS write unmasking a pending one, asserts it again.
 *
 * <p>Moderation: with ITR non-zero, two raises are at least ITR µs apart. An assertion inside the
 * interval is deferred to the interval's end; causes arriving meanwhile coalesce into that one raise,
 * and if the driver cleared or masked them all by then, nothing is raised.
 *
 * <p>The line is always raised outside the lock, so a sink that reads ICR at once is safe.
 */
final class InterruptController {

    private final InterruptLine line;
    private final DeviceTimer timer;
    private final Statistics statistics;
    /** While it says so (a wedge, or a device pulled from its slot), the line is never raised. */
    private final BooleanSupplier silenced;

    private final Runnable deferredRaise = this::deferredRaise;

    /** Guards every field below. */
    private final Object lock = new Object();

    private int cause;
    private int mask;
    private int throttleMicros;
    /** The line was raised for the current assertion. */
    private boolean raisedForAssertion;
    /** A deferred raise is scheduled on the timer. */
    private boolean deferred;

    private boolean everRaised;
    private long lastRaiseNanos;

    InterruptController(InterruptLine line, DeviceTimer timer, Statistics statistics, BooleanSupplier silenced) {
        this.line = line;
        this.timer = timer;
        this.statistics = statistics;
        this.silenced = silenced;
    }

    /** The device sets {@code causes} (zero is allowed and does nothing). Any thread. */
    void signal(int causes) {
        if (causes == 0) {
            return;
        }
        boolean raise;
        synchronized (lock) {
            cause |= causes & Registers.INT_ALL;
            raise = evaluate();
        }
        raiseIf(raise);
    }

    /** ICR read: the pending causes, all cleared by the read. */
    int readAndClearCause() {
        synchronized (lock) {
            int pending = cause;
            cause = 0;
            raisedForAssertion = false;
            return pending;
        }
    }

    /** IMS write: enables the causes whose bits are 1. */
    void maskSet(int bits) {
        boolean raise;
        synchronized (lock) {
            mask |= bits & Registers.INT_ALL;
            raise = evaluate();
        }
        raiseIf(raise);
    }

    /** IMC write: disables the causes whose bits are 1. */
    void maskClear(int bits) {
        synchronized (lock) {
            mask &= ~bits;
            evaluate();
        }
    }

    int mask() {
        synchronized (lock) {
            return mask;
        }
    }

    /** ITR write: bits 15:0 are the minimum interval between raises in µs. */
    void setThrottleMicros(int value) {
        synchronized (lock) {
            throttleMicros = value & HardwareLimits.MAX_THROTTLE_INTERVAL_MICROS;
        }
    }

    int throttleMicros() {
        synchronized (lock) {
            return throttleMicros;
        }
    }

    /** Pending causes without clearing them (for tests and traces, not a register). */
    int peekCause() {
        synchronized (lock) {
            return cause;
        }
    }

    /** Device reset: no causes, everything masked, no moderation. A deferred raise finds nothing. */
    void reset() {
        synchronized (lock) {
            cause = 0;
            mask = 0;
            throttleMicros = 0;
            raisedForAssertion = false;
            everRaised = false;
        }
    }

    /** Decides, under the lock, whether the line is to be raised now; may defer it instead. */
    private boolean evaluate() {
        if ((cause & mask) == 0) {
            raisedForAssertion = false;
            return false;
        }
        if (raisedForAssertion) {
            return false;
        }
        long now = timer.nanoTime();
        long interval = TimeUnit.MICROSECONDS.toNanos(throttleMicros);
        long sinceLast = now - lastRaiseNanos;
        if (interval == 0 || !everRaised || sinceLast >= interval) {
            raisedForAssertion = true;
            everRaised = true;
            lastRaiseNanos = now;
            return true;
        }
        if (!deferred) {
            deferred = true;
            timer.schedule(deferredRaise, interval - sinceLast);
        }
        return false;
    }

    private void deferredRaise() {
        boolean raise;
        synchronized (lock) {
            deferred = false;
            raise = evaluate();
        }
        raiseIf(raise);
    }

    private void raiseIf(boolean raise) {
        if (raise && !silenced.getAsBoolean()) {
            statistics.increment(StatisticsCounter.INTERRUPTS_RAISED);
            line.raise();
        }
    }
}
