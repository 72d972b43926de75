package com.example.seeded;

import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.examples.vmini.VminiDriver;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.MiniportResetResult;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.miniport.NdisShutdownAction;
import org.ndis4j.ndis.miniport.NetDevicePnPEvent;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * A user's miniport with a seeded bug, for the crash test: vmini in every handler, except that the
 * {@value #BUGGY_SEND}th MiniportSendNetBufferLists frees an NDIS I/O work item twice (NdisFreeIoWorkItem
 * on a freed item: Driver Verifier's 0xC4, rule IoWorkItem_UseAfterFree). It lives in a package of its
 * own, outside ndis4j, and reaches the test's container in a jar of its own, as a user's driver does.
 */
@SuppressWarnings({"rawtypes", "unchecked"}) // vmini's adapter context is package-private: handled as Object
public final class SeededBugMiniport implements MiniportDriver<Object> {

    /** The send that carries the bug: after the gratuitous ARPs of link up, while the test pings. */
    public static final int BUGGY_SEND = 10;

    private final MiniportDriver<Object> vmini = (MiniportDriver) new VminiDriver();
    private final AtomicInteger sends = new AtomicInteger();
    private volatile NdisMiniportDriverHandle driverHandle;
    private volatile NdisMiniportAdapterHandle adapterHandle;

    /** DriverEntry. Runs at PASSIVE_LEVEL. */
    public static NdisStatus driverEntry(DriverObject driverObject, String registryPath) {
        SeededBugMiniport driver = new SeededBugMiniport();
        driver.driverHandle = NdisM.registerMiniportDriver(driverObject, registryPath, null, driver);
        return NdisStatus.SUCCESS;
    }

    /** MiniportDriverUnload. Runs at PASSIVE_LEVEL. */
    @Override
    public void unload(DriverObject driverObject) {
        NdisM.deregisterMiniportDriver(driverHandle);
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters initParameters) {
        adapterHandle = handle;
        return vmini.initializeEx(handle, initParameters);
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void haltEx(Object adapter, NdisHaltAction haltAction) {
        vmini.haltEx(adapter, haltAction);
    }

    /** MiniportPause. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus pause(Object adapter) {
        return vmini.pause(adapter);
    }

    /** MiniportRestart. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus restart(Object adapter) {
        return vmini.restart(adapter);
    }

    /** MiniportShutdownEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void shutdownEx(Object adapter, NdisShutdownAction shutdownAction) {
        vmini.shutdownEx(adapter, shutdownAction);
    }

    /** MiniportDevicePnPEventNotify. Runs at PASSIVE_LEVEL. */
    @Override
    public void devicePnPEventNotify(Object adapter, NetDevicePnPEvent event) {
        vmini.devicePnPEventNotify(adapter, event);
    }

    /** MiniportCheckForHangEx. Runs at PASSIVE_LEVEL. */
    @Override
    public boolean checkForHangEx(Object adapter) {
        return vmini.checkForHangEx(adapter);
    }

    /** MiniportResetEx. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public MiniportResetResult resetEx(Object adapter) {
        return vmini.resetEx(adapter);
    }

    /** MiniportOidRequest. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus oidRequest(Object adapter, NdisOidRequest oidRequest) {
        return vmini.oidRequest(adapter, oidRequest);
    }

    /** MiniportSendNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. Carries the seeded bug. */
    @Override
    public void sendNetBufferLists(Object adapter, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        if (sends.incrementAndGet() == BUGGY_SEND) {
            NdisIoWorkItem item = Ndis.allocateIoWorkItem(adapterHandle);
            Ndis.freeIoWorkItem(item);
            Ndis.freeIoWorkItem(item); // the seeded bug: a use after free
        }
        vmini.sendNetBufferLists(adapter, netBufferLists, portNumber, sendFlags);
    }

    /** MiniportReturnNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void returnNetBufferLists(Object adapter, NetBufferList netBufferLists, int returnFlags) {
        vmini.returnNetBufferLists(adapter, netBufferLists, returnFlags);
    }
}
