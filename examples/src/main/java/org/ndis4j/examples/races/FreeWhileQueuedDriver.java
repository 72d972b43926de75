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
 * Race 1 of the corpus, driver entry and handlers: halt frees the link work item while a DPC may have
 * queued it. See {@code FreeWhileQueuedAdapter}.
 */
public final class FreeWhileQueuedDriver implements MiniportDriver<FreeWhileQueuedAdapter> {

    private final Variant variant;
    private volatile NdisMiniportDriverHandle driverHandle;
    private volatile FreeWhileQueuedAdapter adapter;

    public FreeWhileQueuedDriver(Variant variant) {
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
        FreeWhileQueuedAdapter a = FreeWhileQueuedAdapter.initialize(handle, params.allocatedResources(), variant);
        adapter = a;
        return a == null ? NdisStatus.RESOURCES : NdisStatus.SUCCESS;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void haltEx(FreeWhileQueuedAdapter a, NdisHaltAction action) {
        a.halt();
    }
}
