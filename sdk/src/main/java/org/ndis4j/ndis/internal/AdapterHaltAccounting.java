package org.ndis4j.ndis.internal;

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
    private final RundownReferences workItems;

    /** The interrupt registered with NdisMRegisterInterruptEx, or null. */
    private Interrupt interrupt;

    AdapterHaltAccounting(MiniportAdapter adapter, AdapterAllocations allocations) {
        this.adapter = adapter;
        this.allocations = allocations;
        this.workItems = new RundownReferences(adapter.kernel());
    }

    AdapterAllocations allocations() {
        return allocations;
    }

    // ---- work items -----------------------------------------------------------------------------

    void referenceForWorkItem() {
        workItems.acquire();
    }

    void dereferenceForWorkItem() {
        workItems.release();
    }

    /** True while halt is done with MiniportHaltEx but waits for this adapter's work items. */
    boolean isHaltWaitingForWorkItems() {
        return workItems.isAwaited();
    }

    /** After MiniportHaltEx: waits until none of the adapter's work items is queued or running. */
    void awaitWorkItemsReleased() {
        workItems.awaitNone("halt: the adapter's work items to finish");
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
