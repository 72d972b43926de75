package ${package};

import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisMiniportDriverHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * A miniport driver for the ndis4j virtual NIC: driver entry and the handlers NDIS calls
 * (netvmini's miniport.c). Each handler hands over to the file that owns its concern:
 *
 * <pre>
 *   Miniport      DriverEntry, the MiniportXxx handlers
 *   Adapter       MiniportInitializeEx / HaltEx / Pause / Restart, the adapter context
 *   ControlPath   MiniportOidRequest
 *   DataPath      what spans both halves of the data path: make/free, the rings, pause, restart
 *   SendPath      sends and their completion (the send lock)
 *   ReceivePath   receive indications and returns (the receive lock)
 *   Locks         a spin lock taken at the IRQL a *_DISPATCH_LEVEL flag says
 *   Interrupt     MiniportInterrupt and MiniportInterruptDPC
 *   Hardware      sizes, shared memory layout, register helpers
 * </pre>
 *
 * {@code ndis4j run --jar THIS.jar --driver ${package}.Miniport} loads it through {@link #driverEntry}.
 */
public final class Miniport implements MiniportDriver<Adapter> {

    /** What NdisMRegisterMiniportDriver returned; MiniportDriverUnload gives it back. */
    private volatile NdisMiniportDriverHandle driverHandle;

    /** DriverEntry. Runs at PASSIVE_LEVEL. Registers the miniport driver's handlers with NDIS. */
    public static NdisStatus driverEntry(DriverObject driverObject, String registryPath) {
        Miniport driver = new Miniport();
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
    public NdisStatus initializeEx(NdisMiniportAdapterHandle miniportAdapterHandle, MiniportInitParameters parameters) {
        return Adapter.initialize(miniportAdapterHandle, parameters.allocatedResources());
    }

    /** MiniportHaltEx. Runs at PASSIVE_LEVEL. */
    @Override
    public void haltEx(Adapter adapter, NdisHaltAction haltAction) {
        adapter.halt();
    }

    /** MiniportPause. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus pause(Adapter adapter) {
        return adapter.pause();
    }

    /** MiniportRestart. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus restart(Adapter adapter) {
        return adapter.restart();
    }

    /** MiniportOidRequest. Runs at PASSIVE_LEVEL. */
    @Override
    public NdisStatus oidRequest(Adapter adapter, NdisOidRequest oidRequest) {
        return ControlPath.oidRequest(adapter, oidRequest);
    }

    /** MiniportSendNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void sendNetBufferLists(Adapter adapter, NetBufferList netBufferLists, int portNumber, int sendFlags) {
        adapter.dataPath.sendNetBufferLists(netBufferLists, sendFlags);
    }

    /** MiniportReturnNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    @Override
    public void returnNetBufferLists(Adapter adapter, NetBufferList netBufferLists, int returnFlags) {
        adapter.dataPath.returnNetBufferLists(netBufferLists, returnFlags);
    }
}
