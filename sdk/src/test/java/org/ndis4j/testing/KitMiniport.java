package org.ndis4j.testing;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL;

import java.util.concurrent.atomic.AtomicInteger;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.nbl.NetBuffer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.oid.NdisOidRequest;
import org.ndis4j.ndis.oid.Oid;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisIoWorkItem;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.ndis.types.NdisStatusIndication;
import org.ndis4j.ndis.types.NdisTimer;

/**
 * A small miniport for the test kit's own tests, shaped like a real one: after initialize a timer
 * DPC finds the link up and queues a work item that "reads the PHY" at PASSIVE_LEVEL and indicates
 * it; sends are looped back as receives; the packet filter OID pends and completes from a work item.
 * A {@link Bug} breaks it on purpose.
 */
final class KitMiniport implements MiniportDriver<KitMiniport.Adapter> {

    /** What is wrong with the driver. */
    enum Bug {
        NONE,
        /** The link timer's DPC calls NdisMSleep: PASSIVE-only at DISPATCH_LEVEL. */
        SLEEP_IN_DPC,
        /** The link timer's DPC calls NdisWaitEvent with a timeout: PASSIVE-only at DISPATCH_LEVEL. */
        WAIT_EVENT_IN_DPC,
        /** The link work item throws: SYSTEM_THREAD_EXCEPTION_NOT_HANDLED on a worker. */
        THROW_IN_WORK_ITEM,
        /** Not a bug: after link up a work item waits on an event that only halt sets. */
        PARK_A_WORKER
    }

    static final int FRAME_SIZE = 1514;

    /** The adapter context. */
    static final class Adapter {
        final NdisMiniportAdapterHandle handle;
        NdisTimer linkTimer;
        NdisIoWorkItem linkWork;
        NdisIoWorkItem oidWork;
        NdisIoWorkItem parkWork;
        NdisEvent halting;
        /** Set once the link work item has run (or will never be queued). */
        NdisEvent linkRead;

        NetBufferListPool receivePool;
        volatile NdisOidRequest pendingFilter;

        Adapter(NdisMiniportAdapterHandle handle) {
            this.handle = handle;
        }
    }

    private final Bug bug;
    final AtomicInteger packetFilterSets = new AtomicInteger();

    KitMiniport(Bug bug) {
        this.bug = bug;
    }

    /** Loads the driver into {@code kernel} and adds a device for it; the adapter is Running. */
    static NdisMiniportAdapterHandle start(Kernel kernel, Bug bug) {
        PnpManager pnp = PnpManager.of(kernel);
        KitMiniport miniport = new KitMiniport(bug);
        DriverObject driver = pnp.loadDriver("kitmp", (driverObject, registryPath) -> {
            NdisM.registerMiniportDriver(driverObject, registryPath, null, miniport);
            return NdisStatus.SUCCESS;
        });
        return pnp.addDevice(driver, NullDevice.resources("kit0"));
    }

    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
        Adapter adapter = new Adapter(handle);
        NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(adapter));
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(1_000_000_000L)
                        .initialLinkState(NdisLinkState.disconnected())
                        .macAddress(new byte[] {2, 0, 0, 0, 0, 8})
                        .maxMulticastListSize(32)
                        .build());
        adapter.receivePool = Ndis.allocateNetBufferListPool(
                handle, NetBufferListPoolParameters.withNetBuffer(0x4B49_5452, FRAME_SIZE));
        adapter.linkWork = Ndis.allocateIoWorkItem(handle);
        adapter.oidWork = Ndis.allocateIoWorkItem(handle);
        adapter.parkWork = Ndis.allocateIoWorkItem(handle);
        adapter.halting = Ndis.initializeEvent();
        adapter.linkRead = Ndis.initializeEvent();
        adapter.linkTimer = Ndis.allocateTimerObject(handle, this::linkTimerDpc, adapter);
        Ndis.setTimerObject(adapter.linkTimer, -10 * 10_000L, 0, null); // 10 ms from now
        return NdisStatus.SUCCESS;
    }

    /** The link timer's DPC: at DISPATCH_LEVEL, where the PHY must not be read. */
    private void linkTimerDpc(Adapter adapter, NdisTimer timer) {
        switch (bug) {
            case SLEEP_IN_DPC -> NdisM.sleep(1000); // the bug: waits at DISPATCH_LEVEL
            case WAIT_EVENT_IN_DPC -> Ndis.waitEvent(adapter.halting, 5); // the same bug, another call
            default -> Ndis.queueIoWorkItem(adapter.linkWork, this::readLink, adapter);
        }
    }

    /** The link work item, at PASSIVE_LEVEL: reads the (slow) PHY and indicates the link. */
    private void readLink(Adapter adapter, NdisIoWorkItem item) {
        if (bug == Bug.THROW_IN_WORK_ITEM) {
            throw new IllegalStateException("PHY read failed (a deliberate bug)");
        }
        NdisM.sleep(100);
        NdisM.indicateStatusEx(
                adapter.handle,
                NdisStatusIndication.linkState(adapter.handle, NdisLinkState.connected(1_000_000_000L)));
        if (bug == Bug.PARK_A_WORKER) {
            Ndis.queueIoWorkItem(adapter.parkWork, (a, w) -> Ndis.waitEvent(a.halting, 0), adapter);
        }
        Ndis.setEvent(adapter.linkRead);
    }

    @Override
    public void haltEx(Adapter adapter, NdisHaltAction action) {
        Ndis.setEvent(adapter.halting); // ends a parked work item
        if (!Ndis.cancelTimerObject(adapter.linkTimer)) {
            // The timer fired: its DPC queued the link work item, which must run before it is freed.
            Ndis.waitEvent(adapter.linkRead, 0);
        }
        Ndis.freeTimerObject(adapter.linkTimer);
        Ndis.freeIoWorkItem(adapter.linkWork);
        Ndis.freeIoWorkItem(adapter.oidWork);
        Ndis.freeIoWorkItem(adapter.parkWork);
        Ndis.freeNetBufferListPool(adapter.receivePool);
    }

    @Override
    public NdisStatus oidRequest(Adapter adapter, NdisOidRequest request) {
        if (request.oid() == Oid.OID_GEN_CURRENT_PACKET_FILTER) {
            // Programming the receive filter takes a while: pend, complete from a work item.
            adapter.pendingFilter = request;
            Ndis.queueIoWorkItem(adapter.oidWork, this::completeFilter, adapter);
            return NdisStatus.PENDING;
        }
        if (request.oid() == Oid.OID_802_3_MULTICAST_LIST) {
            request.setBytesRead(request.informationBufferLength());
            return request.informationBufferLength() % 6 == 0 ? NdisStatus.SUCCESS : NdisStatus.INVALID_LENGTH;
        }
        return NdisStatus.NOT_SUPPORTED;
    }

    private void completeFilter(Adapter adapter, NdisIoWorkItem item) {
        NdisOidRequest request = adapter.pendingFilter;
        adapter.pendingFilter = null;
        packetFilterSets.incrementAndGet();
        request.setBytesRead(4);
        NdisM.oidRequestComplete(adapter.handle, request, NdisStatus.SUCCESS);
    }

    /** Loops every frame back as a receive (copied, NDIS_RECEIVE_FLAGS_RESOURCES), then completes the sends. */
    @Override
    public void sendNetBufferLists(Adapter adapter, NetBufferList nbls, int portNumber, int sendFlags) {
        boolean dispatch = Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL;
        for (NetBufferList nbl = nbls; nbl != null; nbl = nbl.next()) {
            NetBuffer sent = nbl.firstNetBuffer();
            NetBufferList rx = Ndis.allocateNetBufferList(adapter.receivePool, 0, 0);
            rx.setSourceHandle(adapter.handle);
            NetBuffer nb = rx.firstNetBuffer();
            nb.data().setBytes(0, sent.data(), sent.dataOffset(), sent.dataLength());
            nb.setDataLength(sent.dataLength());
            NdisM.indicateReceiveNetBufferLists(
                    adapter.handle,
                    rx,
                    portNumber,
                    1,
                    NDIS_RECEIVE_FLAGS_RESOURCES | (dispatch ? NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL : 0));
            Ndis.freeNetBufferList(rx);
            nbl.setStatus(NdisStatus.SUCCESS);
        }
        NdisM.sendNetBufferListsComplete(adapter.handle, nbls, dispatch ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
    }

    @Override
    public void returnNetBufferLists(Adapter adapter, NetBufferList nbls, int returnFlags) {
        throw new IllegalStateException("every receive is indicated with NDIS_RECEIVE_FLAGS_RESOURCES");
    }
}
