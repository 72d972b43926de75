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
 * Race 4 of the corpus, driver entry and handlers: NdisCancelTimerObject returns FALSE and halt frees
 * what the timer function uses anyway. See {@code TimerCancelAdapter}.
 */
public final class TimerCancelDriver implements MiniportDriver<TimerCancelAdapter> {

    private final Variant variant;
    private volatile NdisMiniportDriverHandle driverHandle;
    private volatile TimerCancelAdapter adapter;

    public TimerCancelDriver(Variant variant) {
        this.variant = variant;
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
        TimerCancelAdapter a = TimerCancelAdapter.initialize(handle, params.allocatedResources(), variant);
        adapter = a;
        return a == null ? NdisStatus.RESOURCES : NdisStatus.SUCCESS;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void haltEx(TimerCancelAdapter a, NdisHaltAction action) {
        a.halt();
    }
}
