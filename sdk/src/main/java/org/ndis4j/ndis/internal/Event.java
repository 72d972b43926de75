package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.ndis.types.NdisEvent;

/** NDIS's event: a kernel notification event of the kernel it was initialized in. */
public final class Event extends NdisEvent {

    private final KEvent event;

    private Event(KEvent event) {
        this.event = event;
    }

    /** NdisInitializeEvent: not signaled. */
    public static Event initialize(Kernel kernel) {
        return new Event(kernel.initializeEvent(false));
    }

    /** The engine's event behind {@code event}; one NDIS did not initialize is Handle_Invalid. */
    public static Event of(NdisEvent event, String function) {
        if (event instanceof Event e) {
            return e;
        }
        throw Handles.invalid(null, function + " with an event NdisInitializeEvent did not make");
    }

    public Kernel kernel() {
        return event.kernel();
    }

    @Override
    public boolean isSignaled() {
        return event.isSet();
    }

    public void set() {
        event.set();
    }

    public void reset() {
        event.reset();
    }

    /**
     * NdisWaitEvent, after the entry point checked IRQL: 0 ms waits forever. A bug check ends the wait
     * (the crash is thrown); so does an interrupt of the waiting thread, which returns false.
     */
    public boolean await(int msToWait) {
        try {
            return kernel().waitFor("NdisWaitEvent", event, msToWait == 0 ? -1 : msToWait * 1_000_000L, WaitKind.WORK);
        } catch (IllegalStateException e) {
            if (Thread.currentThread().isInterrupted()) {
                return false; // interrupted, not crashed: the interrupt stays set for the caller to see
            }
            throw e;
        }
    }
}
