package org.ndis4j.ndis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.CurrentThread;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.MiniportResetResult;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.nbl.NblQueue;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.NdisPacketType;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * A miniport with MiniportCheckForHangEx and MiniportResetEx, whose answers each test plugs in. It
 * records where NDIS called them, every OID request it was handed, and it holds the sends it is
 * given (in {@link Adapter#heldSends}) until a test or its reset completes them.
 */
final class ResetMiniport implements MiniportDriver<ResetMiniport.Adapter> {

    /** The adapter context. */
    static final class Adapter {
        final NdisMiniportAdapterHandle handle;
        final NdisSpinLock lock = Ndis.allocateSpinLock();
        /** Guarded by lock: the sends the miniport holds. */
        final NblQueue heldSends = new NblQueue();

        volatile NdisIoWorkItem workItem;
        volatile NdisOidRequest heldOid;

        Adapter(NdisMiniportAdapterHandle handle) {
            this.handle = handle;
        }

        /** Completes every held send with {@code status}. IRQL &lt;= DISPATCH_LEVEL. */
        void completeHeldSends(NdisStatus status) {
            Ndis.acquireSpinLock(lock);
            NetBufferList chain = heldSends.takeChain();
            Ndis.releaseSpinLock(lock);
            for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
                nbl.setStatus(status);
            }
            if (chain != null) {
                NdisM.sendNetBufferListsComplete(handle, chain, 0);
            }
        }
    }

    /** "checkForHang PASSIVE_LEVEL WORKER", "reset DISPATCH_LEVEL WORKER": where NDIS called them. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Every OID request NDIS handed the miniport, in order. */
    final List<NdisOidRequest> oids = new CopyOnWriteArrayList<>();

    volatile int checkForHangSeconds = 1;
    volatile Function<Adapter, Boolean> onCheckForHang = a -> false;
    volatile Function<Adapter, MiniportResetResult> onReset =
            a -> MiniportResetResult.completed(NdisStatus.SUCCESS, false);
    volatile BiFunction<Adapter, NdisOidRequest, NdisStatus> onOid = (a, r) -> {
        r.setBytesRead(r.inputBufferLength());
        return NdisStatus.SUCCESS;
    };
    volatile Adapter last;

    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
        Adapter adapter = new Adapter(handle);
        last = adapter;
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterRegistrationAttributes.of(adapter).withCheckForHangTimeInSeconds(checkForHangSeconds));
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(1_000_000_000L)
                        .initialLinkState(NdisLinkState.connected(1_000_000_000L))
                        .macAddress(new byte[] {2, 0, 0, 0, 0, 7})
                        .supportedPacketFilters(NdisPacketType.ETHERNET_FILTERS)
                        .maxMulticastListSize(32)
                        .build());
        adapter.workItem = Ndis.allocateIoWorkItem(handle);
        return NdisStatus.SUCCESS;
    }

    @Override
    public void haltEx(Adapter adapter, NdisHaltAction action) {
        Ndis.freeIoWorkItem(adapter.workItem);
        Ndis.freeSpinLock(adapter.lock);
    }

    @Override
    public boolean checkForHangEx(Adapter adapter) {
        calls.add("checkForHang " + Ke.getCurrentIrql() + " " + CurrentThread.kind());
        return onCheckForHang.apply(adapter);
    }

    @Override
    public MiniportResetResult resetEx(Adapter adapter) {
        calls.add("reset " + Ke.getCurrentIrql() + " " + CurrentThread.kind());
        return onReset.apply(adapter);
    }

    @Override
    public NdisStatus oidRequest(Adapter adapter, NdisOidRequest request) {
        oids.add(request);
        return onOid.apply(adapter, request);
    }

    @Override
    public NdisStatus pause(Adapter adapter) {
        adapter.completeHeldSends(NdisStatus.PAUSED);
        return NdisStatus.SUCCESS;
    }

    @Override
    public void sendNetBufferLists(Adapter adapter, NetBufferList nbls, int portNumber, int sendFlags) {
        Ndis.acquireSpinLock(adapter.lock);
        for (NetBufferList nbl = nbls; nbl != null; ) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            adapter.heldSends.append(nbl);
            nbl = next;
        }
        Ndis.releaseSpinLock(adapter.lock);
    }

    /** Loads the driver and adds one device: the adapter is Running. */
    NdisMiniportAdapterHandle start(Kernel kernel) {
        DriverObject driver = PnpManager.of(kernel).loadDriver("resetmp", (driverObject, registryPath) -> {
            NdisM.registerMiniportDriver(driverObject, registryPath, null, this);
            return NdisStatus.SUCCESS;
        });
        return PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("nic0"));
    }
}
