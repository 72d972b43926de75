package org.ndis4j.examples.vmini;

import static org.ndis4j.examples.vmini.VminiLocks.acquire;
import static org.ndis4j.examples.vmini.VminiLocks.release;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;

import io.netty.buffer.ByteBuf;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.nbl.NblQueue;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.Registers;

/**
 * The receive half of the data path (netvmini's datapath.c receive side and its RCBs from
 * tcbrcb.c): receive indication and MiniportReturnNetBufferLists, over the receive ring of
 * {@link VminiRings}.
 *
 * <pre>
 *  receive: device DMAs straight into an RCB's buffer, which is the MDL of that RCB's NBL
 *  DPC ─► reap up to MaxNblsToIndicate descriptors ─► NB.DataLength = frame length ─►
 *         NdisMIndicateReceiveNetBufferLists (RESOURCES when few buffers are left posted)
 *  MiniportReturnNetBufferLists ─► repost each RCB's buffer at the receive tail, RX_TAIL once
 * </pre>
 *
 * <p>Every receive NBL carries the adapter handle as its SourceHandle, set once when the RCB is made
 * (netvmini sets it on each indication; NDIS never changes it, so once is enough).
 *
 * <p>No allocation per frame: the NBLs of the receive path are allocated once per RCB at
 * initialize. {@link VminiDataPath} calls the steps that span both halves (programming the rings,
 * pause, reset, removal, check-for-hang).
 */
final class VminiReceivePath {

    /** A receive control block: one receive buffer in shared memory and the NBL whose MDL it is. */
    static final class Rcb {
        final int index;
        NetBufferList nbl;

        Rcb(int index) {
            this.index = index;
        }
    }

    private static final int RX_ERRORS = ReceiveDescriptor.STATUS_ERR_TOO_SMALL | ReceiveDescriptor.STATUS_ERR_DMA;

    private final NdisMiniportAdapterHandle handle;
    private final RegisterSpace registers;
    private final VminiRings rings;
    /** Sizes from the registry (VminiConfiguration). */
    private final VminiConfiguration config;

    private final int rxMask;

    /**
     * Guards the receive side: the ring indexes, which RCB sits in which slot, the received queue,
     * receivePaused and indicationsInFlight. Taken after {@link VminiSendPath#sendLock} when a step
     * needs both (the reset).
     */
    final NdisSpinLock receiveLock = Ndis.allocateSpinLock();

    /** Every RCB, by index: made at initialize, freed at halt. */
    final Rcb[] rcbs;

    private final Rcb[] rxSlotRcb;
    /** Received frames gathered by the DPC, indicated as one chain once the lock is released. */
    private final NblQueue received = new NblQueue();

    private int rxTail;
    private int rxNextToReap;
    private int rxPosted;
    private boolean receivePaused = true;
    private int indicationsInFlight;
    /** Check for hang, receive side: as for transmit. Guarded by receiveLock. */
    private final VminiRingWatch rxWatch = new VminiRingWatch();

    /**
     * Guarded by receiveLock: frames the device received (and counted) that this driver dropped
     * instead of indicating — reaped while paused, or taken out of the ring by a reset. ifInDiscards.
     */
    private long rxDiscards;

    /** Guarded by receiveLock: NBLs indicated without RESOURCES that the stack has not returned. */
    private int receivesHeld;
    /** Signalled when the last indication in flight returns while receives are paused. */
    private final NdisEvent indicationsDrained;

    private final NetBufferListPool receivePool;

    private VminiReceivePath(
            NdisMiniportAdapterHandle handle,
            RegisterSpace registers,
            VminiRings rings,
            NetBufferListPool receivePool) {
        this.handle = handle;
        this.registers = registers;
        this.rings = rings;
        this.config = rings.config;
        this.rxMask = config.receiveRingSize() - 1;
        this.rcbs = new Rcb[config.rcbCount()];
        this.rxSlotRcb = new Rcb[config.receiveRingSize()];
        this.receivePool = receivePool;
        this.indicationsDrained = Ndis.initializeEvent();
    }

    /**
     * Allocates the receive NBL pool (with the adapter handle) and one NBL per RCB, whose NET_BUFFER
     * describes the RCB's buffer in shared memory. Runs at PASSIVE_LEVEL. Returns null, having
     * freed what it allocated, on failure.
     */
    static VminiReceivePath create(NdisMiniportAdapterHandle handle, RegisterSpace registers, VminiRings rings) {
        NetBufferListPool pool = Ndis.allocateNetBufferListPool(
                handle, NetBufferListPoolParameters.withNetBuffer(VminiHardware.RECEIVE_POOL_TAG, 0));
        if (pool == null) {
            return null;
        }
        VminiReceivePath receive = new VminiReceivePath(handle, registers, rings, pool);
        ByteBuf buffers = rings.receiveBuffers.virtualAddress();
        int bufferSize = rings.config.bufferSize();
        for (int i = 0; i < rings.config.rcbCount(); i++) {
            Rcb rcb = new Rcb(i);
            ByteBuf mdl = buffers.retainedSlice(rings.receiveBufferOffset(i), bufferSize);
            rcb.nbl = Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, mdl, 0, bufferSize);
            if (rcb.nbl == null) {
                mdl.release();
                receive.free();
                return null;
            }
            rcb.nbl.setMiniportReserved(rcb);
            rcb.nbl.setSourceHandle(handle); // NDIS returns an indicated NBL to the driver this names
            receive.rcbs[i] = rcb;
        }
        return receive;
    }

    /** Frees the RCBs' NBLs (releasing their MDLs), the pool and the receive lock. Runs at PASSIVE_LEVEL. */
    void free() {
        for (int i = rcbs.length - 1; i >= 0; i--) {
            if (rcbs[i] != null) {
                Ndis.freeNetBufferList(rcbs[i].nbl);
                rcbs[i] = null;
            }
        }
        Ndis.freeNetBufferListPool(receivePool);
        Ndis.freeSpinLock(receiveLock);
    }

    /**
     * Indicates up to {@code maxNbls} received frames. Runs at DISPATCH_LEVEL (the interrupt DPC, on
     * RX or RX_OVERRUN). Returns true when finished descriptors are left over (MoreNblsPending).
     */
    boolean indicateReceives(int maxNbls) {
        boolean reposted = false;
        Ndis.dprAcquireSpinLock(receiveLock);
        int hardwareHead = registers.read32(Registers.RX_HEAD);
        while (rxNextToReap != hardwareHead && received.count() < maxNbls) {
            int slot = rxNextToReap;
            Rcb rcb = rxSlotRcb[slot];
            rxSlotRcb[slot] = null;
            rxNextToReap = (slot + 1) & rxMask;
            rxPosted--;
            rxWatch.reaped();
            int status = rings.receiveStatus(slot);
            boolean frame = (status & (ReceiveDescriptor.STATUS_DONE | RX_ERRORS)) == ReceiveDescriptor.STATUS_DONE;
            if (!frame || receivePaused) {
                if (frame) {
                    rxDiscards++; // received, then dropped here: the stack never sees it
                }
                postReceiveLocked(rcb); // an error (the device counted it), or paused: recycle at once
                reposted = true;
                continue;
            }
            rcb.nbl.firstNetBuffer().setDataLength(rings.receiveFrameLength(slot));
            received.append(rcb.nbl);
        }
        int count = received.count();
        NetBufferList head = received.takeChain();
        boolean more = rxNextToReap != hardwareHead;
        boolean lowOnBuffers = rxPosted < VminiHardware.RX_LOW_WATER;
        if (count > 0) {
            indicationsInFlight++;
            if (!lowOnBuffers) {
                receivesHeld += count; // before the call: the stack may return them inside it
            }
        }
        if (reposted) {
            registers.write32(Registers.RX_TAIL, rxTail);
        }
        Ndis.dprReleaseSpinLock(receiveLock);
        if (count > 0) {
            NdisM.indicateReceiveNetBufferLists(
                    handle,
                    head,
                    NDIS_DEFAULT_PORT_NUMBER,
                    count,
                    NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL | (lowOnBuffers ? NDIS_RECEIVE_FLAGS_RESOURCES : 0));
            Ndis.dprAcquireSpinLock(receiveLock);
            if (lowOnBuffers) { // with RESOURCES the NBLs are ours again as soon as the call returns
                repostChainLocked(head);
            }
            boolean drained = --indicationsInFlight == 0 && receivesHeld == 0 && receivePaused;
            Ndis.dprReleaseSpinLock(receiveLock);
            if (drained) {
                Ndis.setEvent(indicationsDrained);
            }
        }
        return more;
    }

    /**
     * MiniportReturnNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL
     * (NDIS_RETURN_FLAGS_DISPATCH_LEVEL says which). Reposts each RCB's buffer; RX_TAIL once.
     */
    void returnNetBufferLists(NetBufferList netBufferLists, int returnFlags) {
        boolean atDispatch = (returnFlags & NDIS_RETURN_FLAGS_DISPATCH_LEVEL) != 0;
        acquire(receiveLock, atDispatch);
        receivesHeld -= NetBufferList.count(netBufferLists);
        repostChainLocked(netBufferLists);
        boolean drained = receivePaused && receivesHeld == 0 && indicationsInFlight == 0;
        release(receiveLock, atDispatch);
        if (drained) {
            Ndis.setEvent(indicationsDrained); // a pause waits for its receives to come back
        }
    }

    private void repostChainLocked(NetBufferList chain) {
        NetBufferList nbl = chain;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            postReceiveLocked((Rcb) nbl.miniportReserved());
            nbl = next;
        }
        registers.write32(Registers.RX_TAIL, rxTail);
    }

    /** Posts {@code posted} in order (null entries skipped), then writes RX_TAIL. Holds receiveLock. */
    void postLocked(Rcb[] posted) {
        for (Rcb rcb : posted) {
            if (rcb != null) {
                postReceiveLocked(rcb);
            }
        }
        registers.write32(Registers.RX_TAIL, rxTail);
    }

    private void postReceiveLocked(Rcb rcb) {
        int slot = rxTail;
        rings.writeReceiveDescriptor(slot, rcb.index);
        rxSlotRcb[slot] = rcb;
        rxTail = (slot + 1) & rxMask;
        rxPosted++;
    }

    // ---- the receive half of pause, restart, check for hang, reset and removal -------------------

    /** The receive half of MiniportRestart: indications may flow. Runs at PASSIVE_LEVEL. */
    void restart() {
        Ndis.acquireSpinLock(receiveLock);
        receivePaused = false;
        Ndis.releaseSpinLock(receiveLock);
    }

    /**
     * The receive half of MiniportPause (the receive unit is disabled): no more indications; waits for
     * the one in flight and for every indicated NBL to come back (NDIS requires both before the pause
     * completes). Runs at PASSIVE_LEVEL.
     */
    void pause() {
        Ndis.resetEvent(indicationsDrained);
        Ndis.acquireSpinLock(receiveLock);
        receivePaused = true;
        boolean wait = indicationsInFlight > 0 || receivesHeld > 0;
        Ndis.releaseSpinLock(receiveLock);
        if (wait) {
            Ndis.waitEvent(indicationsDrained, 0);
        }
    }

    /**
     * The receive side of MiniportCheckForHangEx's test: frames the device wrote past the reap
     * position at three checks in a row, none reaped in between ({@link VminiRingWatch}). Runs at
     * PASSIVE_LEVEL.
     */
    boolean stuck() {
        Ndis.acquireSpinLock(receiveLock);
        boolean rxStuck = rxWatch.check(registers.read32(Registers.RX_HEAD) != rxNextToReap);
        Ndis.releaseSpinLock(receiveLock);
        return rxStuck;
    }

    /**
     * The receive half of the reset, after CTRL.RESET (the device writes no more): counts the frames
     * the device wrote into posted buffers past the reap position as discarded (the stack never sees
     * them), takes back the RCBs that were posted, in ring order from the reap position, and starts
     * the ring again from slot 0 with none posted; the caller posts what this returns
     * ({@link #postLocked}). The RCBs the stack holds are posted when they come back. Holds
     * receiveLock.
     */
    Rcb[] takePostedForResetLocked() {
        rxDiscards += receivedNotReapedLocked();
        Rcb[] posted = new Rcb[config.receiveRingSize()];
        for (int i = 0; i < rxSlotRcb.length; i++) {
            posted[i] = rxSlotRcb[(rxNextToReap + i) & rxMask]; // in ring order, from the reap position
            rxSlotRcb[(rxNextToReap + i) & rxMask] = null;
        }
        rxTail = 0;
        rxNextToReap = 0;
        rxPosted = 0;
        rxWatch.restart();
        return posted;
    }

    /** Frames (DONE, no error) in posted buffers past the reap position, in ring order. Holds receiveLock. */
    private int receivedNotReapedLocked() {
        int frames = 0;
        for (int i = 0; i < rxPosted; i++) {
            int status = rings.receiveStatus((rxNextToReap + i) & rxMask);
            if ((status & ReceiveDescriptor.STATUS_DONE) == 0) {
                break; // the device fills posted buffers in ring order
            }
            if ((status & RX_ERRORS) == 0) {
                frames++; // the device counted an errored one already (ifInErrors)
            }
        }
        return frames;
    }

    /**
     * Received frames this driver dropped instead of indicating (reaped while paused, taken by a
     * reset), since initialize: its part of ifInDiscards. Runs at IRQL &lt;= DISPATCH_LEVEL.
     */
    long receiveDiscards() {
        Ndis.acquireSpinLock(receiveLock);
        long value = rxDiscards;
        Ndis.releaseSpinLock(receiveLock);
        return value;
    }

    /** Receives are paused (MiniportPause until MiniportRestart, or the NIC is gone). Holds receiveLock. */
    boolean pausedLocked() {
        return receivePaused;
    }

    /**
     * The receive half of a NIC that is gone (surprise removal) or stopped (shutdown): no indication
     * from now on. Runs at PASSIVE_LEVEL.
     */
    void deviceGone() {
        Ndis.acquireSpinLock(receiveLock);
        receivePaused = true;
        Ndis.releaseSpinLock(receiveLock);
    }
}
