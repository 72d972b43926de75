package org.ndis4j.examples.vmini;

/**
 * MiniportCheckForHangEx's test of one descriptor ring: the ring is stuck when it had work the driver
 * had not reaped at {@value #STUCK_CHECKS} + 1 checks in a row and the driver reaped nothing in between
 * — {@value #STUCK_CHECKS} whole check-for-hang periods (4 to 6 s) without progress: a wedged unit, or
 * interrupts that stopped coming.
 *
 * <p>Progress is a count of descriptors reaped, never a ring index: an index is back where it was
 * after exactly a ring's worth of reaps (256 descriptors in a 2-s period is ordinary traffic), and a
 * busy ring whose index happened to come round between two checks looked hung — the reset SoakIT
 * once saw on an idle machine. Two periods rather than one, so that one long stall of a progressing
 * ring (a GC pause, an overloaded host delaying the DPC) is not taken for a wedge.
 *
 * <p>Not thread-safe: guarded by the lock of the ring it watches ({@link VminiSendPath}'s send lock or
 * {@link VminiReceivePath}'s receive lock).
 */
final class VminiRingWatch {

    /** Check-for-hang periods in a row without progress before the ring counts as stuck. */
    static final int STUCK_CHECKS = 2;

    /** Descriptors reaped since initialize (or the last reset): only ever grows. */
    private long reaped;

    private long reapedAtLastCheck;
    private boolean pendingAtLastCheck;
    private int checksWithoutProgress;

    /** The driver reaped one descriptor (its status read, its slot taken back). */
    void reaped() {
        reaped++;
    }

    /**
     * One check-for-hang tick. {@code pendingNow}: the ring holds work the driver has not reaped
     * (descriptors the device owns, or frames it wrote past the reap position). True when the ring
     * had such work at this check and the {@value #STUCK_CHECKS} before it, and nothing was reaped
     * since the first of them.
     */
    boolean check(boolean pendingNow) {
        boolean stalled = pendingNow && pendingAtLastCheck && reaped == reapedAtLastCheck;
        checksWithoutProgress = stalled ? checksWithoutProgress + 1 : 0;
        pendingAtLastCheck = pendingNow;
        reapedAtLastCheck = reaped;
        return checksWithoutProgress >= STUCK_CHECKS;
    }

    /** The ring was programmed again from slot 0 (a reset): nothing is pending, no history. */
    void restart() {
        pendingAtLastCheck = false;
        checksWithoutProgress = 0;
        reapedAtLastCheck = reaped;
    }
}
