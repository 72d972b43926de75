package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
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

    /** NdisWaitEvent, after the entry point checked IRQL: 0 ms waits forever. */
    public boolean await(int msToWait) {
        try {
            return event.await(msToWait == 0 ? -1 : msToWait * 1_000_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kernel().checkAlive();
            return false;
        }
    }
}
