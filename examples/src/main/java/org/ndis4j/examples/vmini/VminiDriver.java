package org.ndis4j.examples.vmini;

import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.MiniportResetResult;
import org.ndis4j.ndis.miniport.NdisDevicePnPEvent;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.miniport.NdisShutdownAction;
import org.ndis4j.ndis.miniport.NetDevicePnPEvent;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * Driver entry and the handlers NDIS calls (netvmini's miniport.c). Each handler hands over to the
 * file that owns its concern: {@link VminiAdapter} (life cycle), {@link VminiControlPath} (OIDs),
 * {@link VminiDataPath} (sends and returns, for {@link VminiSendPath} and {@link VminiReceivePath}); the
 * interrupt handlers are {@link VminiInterrupt}.
 */
public final class VminiDriver implements MiniportDriver<VminiAdapter> {

    /** The handle NdisMRegisterMiniportDriver returned; MiniportDriverUnload gives it back. */
    private volatile NdisMiniportDriverHandle driverHandle;

    /** DriverEntry. Runs at PASSIVE_LEVEL. Registers the miniport driver's handlers with NDIS. */
    public static NdisStatus driverEntry(DriverObject driverObject, String registryPath) {
        VminiDriver driver = new VminiDriver();
        driver.driverHandle = NdisM.registerMiniportDriver(driverObject, registryPath, null, driver);
        return NdisStatus.SUCCESS;
    }

    /** MiniportDriverUnload. Runs at PASSIVE_LEVEL, every adapter halted. */
    @Override
    public void unload(DriverObject driverObject) {
        NdisM.deregisterMiniportDriver(driverHandle);
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus initializeEx(
            NdisMiniportAdapterHandle miniportAdapterHandle, MiniportInitParameters initParameters) {
        return VminiAdapter.initialize(miniportAdapterHandle, initParameters.allocatedResources());
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void haltEx(VminiAdapter adapter, NdisHaltAction haltAction) {
        adapter.halt();
    }

    /** MiniportPause. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus pause(VminiAdapter adapter) {
        return adapter.pause();
    }

    /** MiniportRestart. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus restart(VminiAdapter adapter) {
        return adapter.restart();
    }

    /** MiniportShutdownEx. Runs at PASSIVE_LEVEL (power off) or HIGH_LEVEL (bug check). */
    @Override
    public void shutdownEx(VminiAdapter adapter, NdisShutdownAction shutdownAction) {
        adapter.shutdown(shutdownAction);
    }

    /** MiniportDevicePnPEventNotify. Runs at PASSIVE_LEVEL. */
    @Override
    public void devicePnPEventNotify(VminiAdapter adapter, NetDevicePnPEvent event) {
        if (event.devicePnPEvent() == NdisDevicePnPEvent.NdisDevicePnPEventSurpriseRemoved) {
            adapter.surpriseRemoved();
        }
    }

    /** MiniportCheckForHangEx. Runs at PASSIVE_LEVEL. */
    @Override
    public boolean checkForHangEx(VminiAdapter adapter) {
        return adapter.checkForHang();
    }

    /** MiniportResetEx. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public MiniportResetResult resetEx(VminiAdapter adapter) {
        return adapter.reset();
    }

    /** MiniportOidRequest. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus oidRequest(VminiAdapter adapter, NdisOidRequest oidRequest) {
        return VminiControlPath.oidRequest(adapter, oidRequest);
    }

    /** MiniportSendNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void sendNetBufferLists(VminiAdapter adapter, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        adapter.dataPath.sendNetBufferLists(netBufferLists, sendFlags);
    }

    /** MiniportReturnNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void returnNetBufferLists(VminiAdapter adapter, NetBufferList netBufferLists, int returnFlags) {
        adapter.dataPath.returnNetBufferLists(netBufferLists, returnFlags);
    }
}
