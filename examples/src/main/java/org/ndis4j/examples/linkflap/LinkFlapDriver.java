package org.ndis4j.examples.linkflap;

import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.miniport.NdisShutdownAction;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * Driver entry and the handlers NDIS calls (netvmini's miniport.c). Each handler hands over to the
 * adapter, where the work is.
 */
public final class LinkFlapDriver implements MiniportDriver<LinkFlapAdapter> {

    /** What NdisMRegisterMiniportDriver returned; MiniportDriverUnload gives it back. */
    private volatile NdisMiniportDriverHandle driverHandle;

    /** DriverEntry. Runs at PASSIVE_LEVEL. */
    public static NdisStatus driverEntry(DriverObject driverObject, String registryPath) {
        LinkFlapDriver driver = new LinkFlapDriver();
        driver.driverHandle = NdisM.registerMiniportDriver(driverObject, registryPath, null, driver);
        return NdisStatus.SUCCESS;
    }

    /** MiniportDriverUnload. Runs at PASSIVE_LEVEL, every adapter halted. */
    @Override
    public void unload(DriverObject driverObject) {
        NdisM.deregisterMiniportDriver(driverHandle);
    }

    /** MiniportShutdownEx. Runs at PASSIVE_LEVEL (power off) or HIGH_LEVEL (bug check). */
    @Override
    public void shutdownEx(LinkFlapAdapter adapter, NdisShutdownAction shutdownAction) {
        if (shutdownAction == NdisShutdownAction.NdisShutdownPowerOff) {
            adapter.shutdown();
        }
    }

    /** MiniportInitializeEx. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
        return LinkFlapAdapter.initialize(handle, params.allocatedResources());
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void haltEx(LinkFlapAdapter adapter, NdisHaltAction action) {
        adapter.halt();
    }

    /** MiniportPause. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus pause(LinkFlapAdapter adapter) {
        return adapter.pause();
    }

    /** MiniportRestart. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus restart(LinkFlapAdapter adapter) {
        return adapter.restart();
    }

    /** MiniportSendNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void sendNetBufferLists(
            LinkFlapAdapter adapter, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        adapter.sendNetBufferLists(netBufferLists, sendFlags);
    }
}
