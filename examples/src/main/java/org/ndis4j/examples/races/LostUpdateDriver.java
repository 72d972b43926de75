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
 * Race 3 of the corpus, driver entry and handlers (netvmini's miniport.c): a counter the DPC and a
 * work item both update, the work item without the lock and with an NDIS call between its read and
 * its write. See {@code LostUpdateAdapter}.
 */
public final class LostUpdateDriver implements MiniportDriver<LostUpdateAdapter> {

    private final Variant variant;
    private volatile NdisMiniportDriverHandle driverHandle;
    private volatile LostUpdateAdapter adapter;

    public LostUpdateDriver(Variant variant) {
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
        LostUpdateAdapter a = LostUpdateAdapter.initialize(handle, params.allocatedResources(), variant);
        adapter = a;
        return a == null ? NdisStatus.RESOURCES : NdisStatus.SUCCESS;
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void haltEx(LostUpdateAdapter a, NdisHaltAction action) {
        a.halt();
    }

    /**
     * How many device events the last adapter handled: each interrupt cause counts one, each run of
     * the link work item one more. Read after MiniportHaltEx returned.
     */
    public int eventsHandled() {
        return adapter.eventsHandled();
    }

    /** How many times the link work item has run. */
    public int linkChecks() {
        LostUpdateAdapter a = adapter;
        return a == null ? 0 : a.linkChecks();
    }

    /** What {@link #eventsHandled} must be: every cause the DPC handled plus every run of the link work item. */
    public int eventsExpected() {
        return adapter.eventsExpected();
    }
}
