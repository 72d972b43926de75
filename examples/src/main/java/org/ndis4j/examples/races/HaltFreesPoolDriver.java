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
 * Race 2 of the corpus, driver entry and handlers: halt frees the NBL pool a running work item still
 * uses. See {@code HaltFreesPoolAdapter}.
 */
public final class HaltFreesPoolDriver implements MiniportDriver<HaltFreesPoolAdapter> {

    private final Variant variant;
    private volatile NdisMiniportDriverHandle driverHandle;
    private volatile HaltFreesPoolAdapter adapter;

    public HaltFreesPoolDriver(Variant variant) {
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
        HaltFreesPoolAdapter a = HaltFreesPoolAdapter.initialize(handle, params.allocatedResources(), variant);
        adapter = a;
        return a == null ? NdisStatus.RESOURCES : NdisStatus.SUCCESS;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void haltEx(HaltFreesPoolAdapter a, NdisHaltAction action) {
        a.halt();
    }
}
