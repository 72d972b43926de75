package org.ndis4j.kernel.internal.controlled;

import org.ndis4j.kernel.internal.ContextState;
import org.ndis4j.kernel.internal.KernelThread;

/**
 * One context of a world: a platform thread that runs only while it holds the turn. Every field but
 * {@link #turn} and {@link #abort} is read and written only by the thread holding the turn: the
 * volatile write that hands the turn on and the read that takes it order them, so the world needs no
 * lock.
 */
final class Context {

    enum Kind {
        /** A processor of a kernel: ISRs at DIRQL, DPCs at DISPATCH_LEVEL. */
        PROCESSOR,
        /** A system worker thread of a kernel (CriticalWorkQueue W, DelayedWorkQueue D). */
        WORKER,
        /** A kernel's clock: timer expiries, the DPC watchdog, NDIS's watchdog. */
        CLOCK,
        /** The hardware of the run: device timers of in-memory NICs. */
        HARDWARE,
        /** The test thread. */
        TEST
    }

    final int index;
    /** Logical id: "K1/CPU0", "K1/W2", "K1/D0", "K1/CLK", "HW", "T". */
    final String id;

    final Kind kind;
    final ContextState state;
    /** The machine it belongs to (null for the hardware and the test thread). */
    final ControlledScheduler machine;
    /** The queue it takes work from (null for the test thread). */
    final ControlledTaskQueue queue;

    KernelThread thread;

    /** Holds the turn; set by the context that hands it over. */
    volatile boolean turn;
    /** Set by the world's end: the next time it gets the turn it unwinds. */
    volatile boolean abort;
    /** Its thread has left it (the body returned or unwound) and gone back to the pool. */
    volatile boolean released;

    boolean ended;
    /** Its first take from its queue consumes the wake of the block it was created in. */
    boolean tookOnce;
    /** Null while runnable. */
    Blocker blocker;

    WakeReason wake;
    /** The timer entry that ends the current wait at its deadline, or null. */
    TimerEntry wakeTimer;
    /** Virtual time it blocked at, for reports. */
    long blockedSince;
    /** A thread at DISPATCH_LEVEL or above occupies this processor of its machine; -1 for none. */
    int heldProcessor = -1;
    /** An interrupt of its thread not yet consumed by a wait. */
    boolean pendingInterrupt;
    /** The strategy chose an interrupt for this processor: run the ISR nested when it resumes. */
    boolean isrRequested;
    /** How many engine locks it holds (the indication order): it may run whatever the processor rules say. */
    int engineLocks;
    /** The last site it stepped at, for reports. */
    String lastSite = "start";

    Context(
            int index,
            String id,
            Kind kind,
            ContextState state,
            ControlledScheduler machine,
            ControlledTaskQueue queue) {
        this.index = index;
        this.id = id;
        this.kind = kind;
        this.state = state;
        this.machine = machine;
        this.queue = queue;
    }

    boolean runnable() {
        return !ended && blocker == null;
    }

    @Override
    public String toString() {
        return id;
    }
}
