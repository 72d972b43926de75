package org.ndis4j.ndis;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.ndis4j.host.PnpManager;
import org.ndis4j.kernel.Irql;
import org.ndis4j.kernel.Ke;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.miniport.MiniportAdapterGeneralAttributes;
import org.ndis4j.ndis.miniport.MiniportAdapterRegistrationAttributes;
import org.ndis4j.ndis.miniport.MiniportDriver;
import org.ndis4j.ndis.miniport.MiniportInitParameters;
import org.ndis4j.ndis.miniport.NdisHaltAction;
import org.ndis4j.ndis.nbl.NetBuffer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisLinkState;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * A miniport with a data path, for tests, shaped like netvmini: a receive pool (the RCBs) allocated
 * with the adapter handle at initialize and freed at halt; sends completed at once or held (the
 * TCBs in flight) until the test or MiniportPause completes them.
 */
final class DataPathMiniport implements MiniportDriver<DataPathMiniport.Adapter> {

    static final int FRAME_SIZE = 1514;
    static final int POOL_TAG = 0x4E42_4C52; // 'RLBN' in memory

    /** The adapter context. */
    static final class Adapter {
        final NdisMiniportAdapterHandle handle;
        volatile NetBufferListPool receivePool;
        /** Sent chains the miniport holds (not completed yet). */
        final ConcurrentLinkedQueue<NetBufferList> heldSends = new ConcurrentLinkedQueue<>();
        /** From MiniportPause until MiniportRestart: new sends are rejected (netvmini's fMP_ADAPTER_PAUSING). */
        volatile boolean paused;

        Adapter(NdisMiniportAdapterHandle handle) {
            this.handle = handle;
        }
    }

    volatile Adapter last;
    /** true: complete every send before returning from MiniportSendNetBufferLists. */
    volatile boolean completeSendsInline = true;

    volatile NdisStatus sendStatus = NdisStatus.SUCCESS;
    /** MiniportPause completes held sends with NDIS_STATUS_PAUSED (what a correct miniport does). */
    volatile boolean completeHeldSendsOnPause = true;
    /**
     * MiniportSendNetBufferLists completes sends that arrive while the adapter pauses with
     * NDIS_STATUS_PAUSED at once (what a correct miniport does); false: it treats them as any other.
     */
    volatile boolean rejectSendsWhilePaused = true;
    /** What MiniportRestart does (it may indicate receives, and return PENDING). */
    volatile Function<Adapter, NdisStatus> onRestart = a -> NdisStatus.SUCCESS;

    volatile boolean freePoolAtHalt = true;
    /**
     * MiniportPause pends until every indicated NBL is back, then calls NdisMPauseComplete (what a
     * correct miniport does); false: it completes at once, whatever is still out.
     */
    volatile boolean pauseWaitsForReturns = true;
    /** NBLs indicated (without RESOURCES) and not returned yet. */
    final AtomicInteger receivesHeld = new AtomicInteger();
    /** Set while a pause pends on receivesHeld. */
    volatile boolean pausePending;
    /** MiniportReturnNetBufferLists frees what comes back (else the test keeps it). */
    volatile boolean freeReturned = true;

    final AtomicInteger sendCalls = new AtomicInteger();
    final List<Integer> sendFlagsSeen = new CopyOnWriteArrayList<>();
    final List<String> framesSent = new CopyOnWriteArrayList<>();
    final AtomicInteger returnedNbls = new AtomicInteger();
    final List<Integer> returnFlagsSeen = new CopyOnWriteArrayList<>();
    final List<NetBufferList> returnedKept = new CopyOnWriteArrayList<>();
    final List<Long> cancelIds = new CopyOnWriteArrayList<>();

    @Override
    public NdisStatus initializeEx(NdisMiniportAdapterHandle handle, MiniportInitParameters params) {
        Adapter adapter = new Adapter(handle);
        last = adapter;
        NdisM.setMiniportAttributes(handle, MiniportAdapterRegistrationAttributes.of(adapter));
        NdisM.setMiniportAttributes(
                handle,
                MiniportAdapterGeneralAttributes.builder()
                        .mtuSize(1500)
                        .maxLinkSpeed(1_000_000_000L)
                        .initialLinkState(NdisLinkState.disconnected())
                        .macAddress(new byte[] {2, 0, 0, 0, 0, 2})
                        .maxMulticastListSize(32)
                        .build());
        adapter.receivePool =
                Ndis.allocateNetBufferListPool(handle, NetBufferListPoolParameters.withNetBuffer(POOL_TAG, FRAME_SIZE));
        return adapter.receivePool == null ? NdisStatus.RESOURCES : NdisStatus.SUCCESS;
    }

    @Override
    public void haltEx(Adapter adapter, NdisHaltAction action) {
        if (freePoolAtHalt) {
            Ndis.freeNetBufferListPool(adapter.receivePool);
        }
    }

    @Override
    public NdisStatus restart(Adapter adapter) {
        adapter.paused = false;
        return onRestart.apply(adapter);
    }

    @Override
    public NdisStatus pause(Adapter adapter) {
        adapter.paused = true;
        if (completeHeldSendsOnPause) {
            completeHeld(adapter, NdisStatus.PAUSED);
        }
        if (pauseWaitsForReturns) {
            synchronized (receivesHeld) {
                if (receivesHeld.get() > 0) {
                    pausePending = true;
                    return NdisStatus.PENDING; // completed by the last MiniportReturnNetBufferLists
                }
            }
        }
        return NdisStatus.SUCCESS;
    }

    @Override
    public void sendNetBufferLists(Adapter adapter, NetBufferList nbls, int portNumber, int sendFlags) {
        sendCalls.incrementAndGet();
        sendFlagsSeen.add(sendFlags);
        for (NetBufferList nbl = nbls; nbl != null; nbl = nbl.next()) {
            NetBuffer nb = nbl.firstNetBuffer();
            framesSent.add(
                    nb.data().toString(nb.dataOffset(), nb.dataLength(), java.nio.charset.StandardCharsets.US_ASCII));
        }
        boolean reject = adapter.paused && rejectSendsWhilePaused;
        if (completeSendsInline || reject) {
            for (NetBufferList nbl = nbls; nbl != null; nbl = nbl.next()) {
                nbl.setStatus(reject ? NdisStatus.PAUSED : sendStatus);
            }
            NdisM.sendNetBufferListsComplete(
                    adapter.handle,
                    nbls,
                    Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
        } else {
            adapter.heldSends.add(nbls);
        }
    }

    @Override
    public void returnNetBufferLists(Adapter adapter, NetBufferList nbls, int returnFlags) {
        returnFlagsSeen.add(returnFlags);
        boolean completePause;
        synchronized (receivesHeld) {
            completePause = receivesHeld.addAndGet(-NetBufferList.count(nbls)) == 0 && pausePending;
            if (completePause) {
                pausePending = false;
            }
        }
        NetBufferList nbl = nbls;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            returnedNbls.incrementAndGet();
            if (freeReturned) {
                Ndis.freeNetBufferList(nbl);
            } else {
                returnedKept.add(nbl);
            }
            nbl = next;
        }
        if (completePause) {
            NdisM.pauseComplete(adapter.handle);
        }
    }

    @Override
    public void cancelSend(Adapter adapter, long cancelId) {
        cancelIds.add(cancelId);
    }

    /** Completes every held send with {@code status}, at the caller's IRQL. */
    static void completeHeld(Adapter adapter, NdisStatus status) {
        NetBufferList chain;
        while ((chain = adapter.heldSends.poll()) != null) {
            for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
                nbl.setStatus(status);
            }
            NdisM.sendNetBufferListsComplete(
                    adapter.handle,
                    chain,
                    Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
        }
    }

    /**
     * Builds a chain of {@code n} receive NBLs from the adapter's pool, frame "rx<i>" in each, each
     * with the adapter handle as SourceHandle (as a miniport must set it before indicating).
     */
    static NetBufferList receiveChain(Adapter adapter, int n) {
        List<NetBufferList> nbls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NetBufferList nbl = Ndis.allocateNetBufferList(adapter.receivePool, 0, 0);
            nbl.setSourceHandle(adapter.handle);
            NetBuffer nb = nbl.firstNetBuffer();
            byte[] frame = ("rx" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            nb.data().setBytes(0, frame);
            nb.setDataLength(frame.length);
            nbls.add(nbl);
        }
        return link(nbls);
    }

    /** Links {@code nbls} into a chain, in order; returns the head. */
    static NetBufferList link(List<NetBufferList> nbls) {
        for (int i = 0; i + 1 < nbls.size(); i++) {
            nbls.get(i).setNext(nbls.get(i + 1));
        }
        return nbls.isEmpty() ? null : nbls.get(0);
    }

    /** Indicates {@code chain} from the caller's thread with the DISPATCH_LEVEL flag matching its IRQL. */
    void indicateHeld(Adapter adapter, NetBufferList chain, int extraFlags) {
        if ((extraFlags & NDIS_RECEIVE_FLAGS_RESOURCES) == 0) {
            receivesHeld.addAndGet(NetBufferList.count(chain));
        }
        indicate(adapter, chain, extraFlags);
    }

    static void indicate(Adapter adapter, NetBufferList chain, int extraFlags) {
        int flags = extraFlags | (Ke.getCurrentIrql() == Irql.DISPATCH_LEVEL ? NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL : 0);
        NdisM.indicateReceiveNetBufferLists(
                adapter.handle, chain, NDIS_DEFAULT_PORT_NUMBER, NetBufferList.count(chain), flags);
    }

    /** Frees each NBL of a chain the miniport owns. */
    static void freeChain(NetBufferList chain) {
        List<NetBufferList> all = new ArrayList<>();
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            all.add(nbl);
        }
        all.forEach(Ndis::freeNetBufferList);
    }

    /** Loads this miniport as driver {@code name} and adds a Running device. */
    NdisMiniportAdapterHandle start(Kernel kernel, String name) {
        DriverObject driver = PnpManager.of(kernel).loadDriver(name, (driverObject, registryPath) -> {
            NdisM.registerMiniportDriver(driverObject, registryPath, null, this);
            return NdisStatus.SUCCESS;
        });
        return PnpManager.of(kernel).addDevice(driver, TestMiniport.trivialDevice("nic0"));
    }
}
