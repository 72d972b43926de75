package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.kernel.WaitKind;

/**
 * The users that hold an object alive (work items queued or running hold their adapter and their
 * driver) and a wait until the last one leaves, as Windows' rundown protection
 * (ExAcquireRundownProtection / ExWaitForRundownProtectionRelease) holds a driver object.
 */
final class RundownReferences {

    private final Kernel kernel;
    /** Guards the fields below. */
    private final Object lock = new Object();

    private int references;
    /** Set when the last reference goes while {@link #awaitNone} waits for it; null otherwise. */
    private KEvent released;

    RundownReferences(Kernel kernel) {
        this.kernel = kernel;
    }

    void acquire() {
        synchronized (lock) {
            references++;
        }
    }

    void release() {
        synchronized (lock) {
            if (--references == 0 && released != null) {
                released.set();
            }
        }
    }

    int count() {
        synchronized (lock) {
            return references;
        }
    }

    /** True while {@link #awaitNone} waits for references that are still held. */
    boolean isAwaited() {
        synchronized (lock) {
            return released != null;
        }
    }

    /** Waits, as a WORK wait named {@code what} in thread dumps and hang reports, until none is held. */
    void awaitNone(String what) {
        KEvent event;
        synchronized (lock) {
            event = references > 0 ? kernel.initializeEvent(false) : null;
            released = event;
        }
        while (event != null) {
            kernel.waitFor(what, event, -1, WaitKind.WORK);
            synchronized (lock) {
                if (references == 0) {
                    released = null;
                    event = null;
                }
            }
        }
    }
}
