package org.ndis4j.examples.races;

import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * The corpus's driver file (netvmini's miniport.c): DriverEntry and the MiniportXxx handlers, the
 * same for every race, which is in the adapter ({@code FreeWhileQueuedAdapter}, …).
 */
public final class RaceDriver<A extends RaceAdapter> implements MiniportDriver<A> {

    private final RaceAdapter.Initializer<A> initializer;
    private final Variant variant;
    private volatile NdisMiniportDriverHandle driverHandle;
    private volatile A adapter;

    private RaceDriver(RaceAdapter.Initializer<A> initializer, Variant variant) {
        this.initializer = initializer;
        this.variant = variant;
    }

    /** Race 1: halt frees the link work item while a DPC may have queued it. */
    public static RaceDriver<?> freeWhileQueued(Variant variant) {
        return new RaceDriver<>(FreeWhileQueuedAdapter::initialize, variant);
    }

    /** Race 2: the work item clears its "queued" mark before it is done with the pool; halt frees it. */
    public static RaceDriver<?> haltFreesPool(Variant variant) {
        return new RaceDriver<>(HaltFreesPoolAdapter::initialize, variant);
    }

    /** Race 3: a DPC and a work item update one counter, the work item with an NDIS call in between. */
    static RaceDriver<LostUpdateAdapter> lostUpdate(Variant variant) {
        return new RaceDriver<>(LostUpdateAdapter::initialize, variant);
    }

    /** Race 4: NdisCancelTimerObject returns FALSE and halt frees what the timer function uses anyway. */
    public static RaceDriver<?> timerCancel(Variant variant) {
        return new RaceDriver<>(TimerCancelAdapter::initialize, variant);
    }

    /** Race 5: the work item never sets the event halt waits for. */
    public static RaceDriver<?> missingSetEvent(Variant variant) {
        return new RaceDriver<>(MissingSetEventAdapter::initialize, variant);
    }

    /** DriverEntry. Runs at PASSIVE_LEVEL. */
    public NdisStatus driverEntry(DriverObject driverObject, String registryPath) {
        driverHandle = NdisM.registerMiniportDriver(driverObject, registryPath, null, this);
        return NdisStatus.SUCCESS;
    }

    /** MiniportDriverUnload. Runs at PASSIVE_LEVEL. */
    @Override
    public void unload(DriverObject driverObject) {
        NdisM.deregisterMiniportDriver(driverHandle);
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
        A a = initializer.initialize(handle, params.allocatedResources(), variant);
        adapter = a;
        return a == null ? NdisStatus.RESOURCES : NdisStatus.SUCCESS;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void haltEx(A a, NdisHaltAction action) {
        a.halt();
    }

    /** The last adapter MiniportInitializeEx made, or null before it ran. */
    A adapter() {
        return adapter;
    }
}
