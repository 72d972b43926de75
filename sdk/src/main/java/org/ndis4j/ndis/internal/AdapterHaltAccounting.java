package org.ndis4j.ndis.internal;

import org.ndis4j.kernel.KEvent;
import org.ndis4j.kernel.WaitKind;
import org.ndis4j.ndis.miniport.AdapterState;
import org.ndis4j.verifier.Rule;
import org.ndis4j.verifier.Verifier;

/**
 * What halt waits for and checks on one adapter: the work items that hold it alive (halt waits until
 * none is queued or running), the interrupt registered with NdisMRegisterInterruptEx (still
 * registered at the end of halt is a leak) and everything else allocated with the adapter handle
 * ({@link AdapterAllocations}). Apart from {@link MiniportAdapter} because it is bookkeeping that
 * other objects (work items, interrupts) report into, not a step of the state machine.
 */
final class AdapterHaltAccounting {

    private final MiniportAdapter adapter;
    private final AdapterAllocations allocations;
    /** Guards every field below. */
    private final Object lock = new Object();

    /** Work items queued or running: each holds the adapter alive. */
    private int workItemReferences;
    /** Set when the last work item reference goes while halt waits for it; null otherwise. */
    private KEvent workItemsReleased;

    private boolean haltWaiting;
    /** The interrupt registered with NdisMRegisterInterruptEx, or null. */
    private Interrupt interrupt;

    AdapterHaltAccounting(MiniportAdapter adapter, AdapterAllocations allocations) {
        this.adapter = adapter;
        this.allocations = allocations;
    }

    AdapterAllocations allocations() {
        return allocations;
    }

    // ---- work items -----------------------------------------------------------------------------

    void referenceForWorkItem() {
        synchronized (lock) {
            workItemReferences++;
        }
    }

    void dereferenceForWorkItem() {
        synchronized (lock) {
            if (--workItemReferences == 0 && workItemsReleased != null) {
                workItemsReleased.set();
            }
        }
    }

    /** True while halt is done with MiniportHaltEx but waits for this adapter's work items. */
    boolean isHaltWaitingForWorkItems() {
        synchronized (lock) {
            return haltWaiting;
        }
    }

    /** After MiniportHaltEx: waits until none of the adapter's work items is queued or running. */
    void awaitWorkItemsReleased() {
        KEvent released;
        synchronized (lock) {
            haltWaiting = workItemReferences > 0;
            released = haltWaiting ? adapter.kernel().initializeEvent(false) : null;
            workItemsReleased = released;
        }
        while (released != null) {
            adapter.kernel().waitFor("halt: the adapter's work items to finish", released, -1, WaitKind.WORK);
            synchronized (lock) {
                if (workItemReferences == 0) {
                    haltWaiting = false;
                    workItemsReleased = null;
                    released = null;
                }
            }
        }
    }

    // ---- the interrupt --------------------------------------------------------------------------

    /**
     * NdisMRegisterInterruptEx: only in MiniportInitializeEx ({@code state}), after registration
     * attributes ({@code registrationSet}), once.
     */
    void interruptRegistered(Interrupt registered, AdapterState state, boolean registrationSet) {
        synchronized (lock) {
            String why = state != AdapterState.Initializing
                    ? "outside MiniportInitializeEx (adapter is " + state + ")"
                    : !registrationSet
                            ? "before NdisMSetMiniportAttributes set the registration attributes"
                            : interrupt != null ? "a second time; the adapter already has " + interrupt.name() : null;
            if (why != null) {
                throw Verifier.violation(
                        adapter.kernel(),
                        Rule.Interrupt_RegisterState,
                        state.ordinal(),
                        interrupt == null ? 0 : 1,
                        adapter.name() + ": NdisMRegisterInterruptEx " + why);
            }
            interrupt = registered;
        }
    }

    void interruptDeregistered(Interrupt deregistered) {
        synchronized (lock) {
            if (interrupt == deregistered) {
                interrupt = null;
            }
        }
    }

    /** The interrupt still registered, or null. */
    Interrupt interrupt() {
        synchronized (lock) {
            return interrupt;
        }
    }

    // ---- the checks -----------------------------------------------------------------------------

    /** At the end of {@code where} (MiniportHaltEx, a failed MiniportInitializeEx): nothing may be left. */
    void checkNothingLeft(String where) {
        checkInterruptLeak(where);
        allocations.checkNothingLeft(where);
    }

    /** An interrupt still registered is a leak. */
    private void checkInterruptLeak(String where) {
        Interrupt leaked;
        synchronized (lock) {
            leaked = interrupt;
            interrupt = null;
        }
        if (leaked != null) {
            leaked.disconnectLeaked();
            throw Verifier.violation(
                    adapter.kernel(),
                    Rule.Interrupt_LeakAtHalt,
                    1,
                    0,
                    adapter.name() + ": interrupt " + leaked.name() + " registered with NdisMRegisterInterruptEx "
                            + "was not deregistered by the end of " + where,
                    leaked.registrationSite());
        }
    }
}
