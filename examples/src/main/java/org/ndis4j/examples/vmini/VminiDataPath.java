package org.ndis4j.examples.vmini;

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_RESOURCES;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_FLAGS_DISPATCH_LEVEL;

import io.netty.buffer.ByteBuf;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.nbl.NblQueue;
import org.ndis4j.ndis.nbl.NetBuffer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.nbl.NetBufferListPool;
import org.ndis4j.ndis.nbl.NetBufferListPoolParameters;
import org.ndis4j.ndis.types.NdisEvent;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.regs.ReceiveDescriptor;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.TransmitDescriptor;

/**
 * The data path (netvmini's datapath.c): MiniportSendNetBufferLists, transmit completion,
 * receive indication and MiniportReturnNetBufferLists, over the rings of {@link VminiRings}.
 *
 * <pre>
 *  send (≤ DISPATCH)                                      DPC (DISPATCH), after TX_DONE
 *  NBL ─► one copy per NET_BUFFER into transmit buffer ─► device sends at the TAIL write ─►
 *         slot = tail; descriptor; tail++                 reap HEAD: status ─► NBL status ─►
 *         ring full: wait list (bounded), else RESOURCES   NdisMSendNetBufferListsComplete
 *         TX_TAIL written once per call                    then move waiting sends into the ring
 *
 *  receive: device DMAs straight into an RCB's buffer, which is the MDL of that RCB's NBL
 *  DPC ─► reap up to MaxNblsToIndicate descriptors ─► NB.DataLength = frame length ─►
 *         NdisMIndicateReceiveNetBufferLists (RESOURCES when few buffers are left posted)
 *  MiniportReturnNetBufferLists ─► repost each RCB's buffer at the receive tail, RX_TAIL once
 * </pre>
 *
 * <p>Ring full: sends wait in software (in order, up to {@link VminiHardware#SEND_WAIT_LIMIT} NBLs)
 * and move into the ring as transmit completions free slots; beyond the limit an NBL completes at
 * once with NDIS_STATUS_RESOURCES. From MiniportPause until MiniportRestart every send NDIS hands
 * down completes at once with NDIS_STATUS_PAUSED (as the WDK's "Pausing an Adapter" asks), and
 * MiniportPause completes the waiting ones with it too. While a reset runs, sends complete at once with
 * NDIS_STATUS_RESET_IN_PROGRESS; once the NIC was surprise-removed or shut down, with
 * NDIS_STATUS_NOT_ACCEPTED.
 *
 * <p>Every receive NBL carries the adapter handle as its SourceHandle, set once when the RCB is made
 * (netvmini sets it on each indication; NDIS never changes it, so once is enough).
 *
 * <p>No allocation per frame: the NBLs of the receive path are allocated once per RCB at
 * initialize, the transmit path reuses the sender's NBLs and preallocated buffers.
 */
final class VminiDataPath {

    /** A receive control block: one receive buffer in shared memory and the NBL whose MDL it is. */
    static final class Rcb {
        final int index;
        NetBufferList nbl;

        Rcb(int index) {
            this.index = index;
        }
    }

    /** What the driver counts itself on transmit (the device does not split by destination). */
    record TransmitCounters(
            long directedFrames,
            long multicastFrames,
            long broadcastFrames,
            long directedOctets,
            long multicastOctets,
            long broadcastOctets,
            long errors,
            long discards) {}

    private static final int TX_ERRORS = TransmitDescriptor.STATUS_ERR_LENGTH
            | TransmitDescriptor.STATUS_ERR_DMA
            | TransmitDescriptor.STATUS_ERR_NO_CARRIER
            | TransmitDescriptor.STATUS_ERR_FAULT;
    private static final int RX_ERRORS = ReceiveDescriptor.STATUS_ERR_TOO_SMALL | ReceiveDescriptor.STATUS_ERR_DMA;

    private final NdisMiniportAdapterHandle handle;
    private final RegisterSpace registers;
    private final VminiRings rings;
    /** The counters a reset must not lose (it resets the device through them). */
    private final VminiStatistics statistics;
    /** Sizes from the registry (VminiConfiguration). */
    private final VminiConfiguration config;

    private final int txMask;
    private final int rxMask;

    /**
     * Guards the transmit side: the ring indexes, the control blocks, the three send queues,
     * sendPaused and the transmit counters.
     */
    private final NdisSpinLock sendLock = Ndis.allocateSpinLock();
    /** Per transmit slot: the NBL whose NET_BUFFER the slot carries (null once completed). */
    private final NetBufferList[] tcbNbl;
    /** Per transmit slot: the slot carries the NBL's last NET_BUFFER (complete the NBL when it is done). */
    private final boolean[] tcbLast;

    private final int[] tcbLength;
    private int txTail;
    private int txNextToReap;
    private int txInUse;
    /** Sends waiting for ring slots, in order (at most SEND_WAIT_LIMIT). */
    private final NblQueue sendWaitList = new NblQueue();
    /** Sends refused by the current send call, completed once the lock is released. */
    private final NblQueue sendsRefused = new NblQueue();
    /** Sends whose descriptors were reaped, completed once the lock is released. */
    private final NblQueue sendsDone = new NblQueue();

    private boolean sendPaused = true;
    /** A reset runs: sends complete at once with NDIS_STATUS_RESET_IN_PROGRESS. */
    private boolean resetting;
    /** The NIC is gone (surprise removal) or stopped (shutdown): NDIS_STATUS_NOT_ACCEPTED. */
    private boolean deviceGone;
    /** Check for hang, transmit side: descriptors reaped, and what the last checks saw. */
    private final VminiRingWatch txWatch = new VminiRingWatch();

    private long txDirectedFrames;
    private long txMulticastFrames;
    private long txBroadcastFrames;
    private long txDirectedOctets;
    private long txMulticastOctets;
    private long txBroadcastOctets;
    private long txErrors;
    private long txDiscards;

    /**
     * Guards the receive side: the ring indexes, which RCB sits in which slot, the received queue,
     * receivePaused and indicationsInFlight.
     */
    private final NdisSpinLock receiveLock = Ndis.allocateSpinLock();

    private final Rcb[] rcbs;
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

    /** Guarded by receiveLock: NBLs indicated without RESOURCES that the stack has not returned. */
    private int receivesHeld;
    /** Signalled when the last indication in flight returns while receives are paused. */
    private final NdisEvent indicationsDrained;

    private final NetBufferListPool receivePool;

    private VminiDataPath(
            NdisMiniportAdapterHandle handle,
            RegisterSpace registers,
            VminiRings rings,
            VminiStatistics statistics,
            NetBufferListPool receivePool) {
        this.handle = handle;
        this.registers = registers;
        this.rings = rings;
        this.statistics = statistics;
        this.config = rings.config;
        this.txMask = config.transmitRingSize() - 1;
        this.rxMask = config.receiveRingSize() - 1;
        this.tcbNbl = new NetBufferList[config.transmitRingSize()];
        this.tcbLast = new boolean[config.transmitRingSize()];
        this.tcbLength = new int[config.transmitRingSize()];
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
    static VminiDataPath create(
            NdisMiniportAdapterHandle handle, RegisterSpace registers, VminiRings rings, VminiStatistics statistics) {
        NetBufferListPool pool = Ndis.allocateNetBufferListPool(
                handle, NetBufferListPoolParameters.withNetBuffer(VminiHardware.RECEIVE_POOL_TAG, 0));
        if (pool == null) {
            return null;
        }
        VminiDataPath dataPath = new VminiDataPath(handle, registers, rings, statistics, pool);
        ByteBuf buffers = rings.receiveBuffers.virtualAddress();
        int bufferSize = rings.config.bufferSize();
        for (int i = 0; i < rings.config.rcbCount(); i++) {
            Rcb rcb = new Rcb(i);
            ByteBuf mdl = buffers.retainedSlice(rings.receiveBufferOffset(i), bufferSize);
            rcb.nbl = Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, mdl, 0, bufferSize);
            if (rcb.nbl == null) {
                mdl.release();
                dataPath.free();
                return null;
            }
            rcb.nbl.setMiniportReserved(rcb);
            rcb.nbl.setSourceHandle(handle); // NDIS returns an indicated NBL to the driver this names
            dataPath.rcbs[i] = rcb;
        }
        return dataPath;
    }

    /** Frees the RCBs' NBLs (releasing their MDLs), the pool and the locks. Runs at PASSIVE_LEVEL. */
    void free() {
        for (int i = rcbs.length - 1; i >= 0; i--) {
            if (rcbs[i] != null) {
                Ndis.freeNetBufferList(rcbs[i].nbl);
                rcbs[i] = null;
            }
        }
        Ndis.freeNetBufferListPool(receivePool);
        Ndis.freeSpinLock(receiveLock);
        Ndis.freeSpinLock(sendLock);
    }

    /**
     * Programs both rings and posts every RCB (device units disabled). Runs at PASSIVE_LEVEL, in
     * MiniportInitializeEx before the interrupt is registered: nothing else touches the rings yet.
     */
    void programRings() {
        Ndis.acquireSpinLock(receiveLock);
        programRingsLocked(rcbs);
        Ndis.releaseSpinLock(receiveLock);
    }

    /** Programs both rings (head and tail start at 0) and posts {@code posted}. Holds receiveLock. */
    private void programRingsLocked(Rcb[] posted) {
        VminiHardware.programRing(
                registers, Registers.TX_BASE_LO, rings.transmitRing.physicalAddress(), config.transmitRingSize());
        VminiHardware.programRing(
                registers, Registers.RX_BASE_LO, rings.receiveRing.physicalAddress(), config.receiveRingSize());
        for (Rcb rcb : posted) {
            if (rcb != null) {
                postReceiveLocked(rcb);
            }
        }
        registers.write32(Registers.RX_TAIL, rxTail);
    }

    // ---- send ----------------------------------------------------------------------------------

    /**
     * MiniportSendNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL (NDIS_SEND_FLAGS_DISPATCH_LEVEL
     * says which). Each NBL goes into the ring (one descriptor per NET_BUFFER, one copy each), or
     * the wait list, or completes now with a failure status. TX_TAIL is written once.
     */
    void sendNetBufferLists(NetBufferList netBufferLists, int sendFlags) {
        boolean atDispatch = (sendFlags & NDIS_SEND_FLAGS_DISPATCH_LEVEL) != 0;
        acquire(sendLock, atDispatch);
        int placed = 0;
        NetBufferList nbl = netBufferLists;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            NdisStatus reject = deviceGone
                    ? NdisStatus.NOT_ACCEPTED
                    : sendPaused ? NdisStatus.PAUSED : resetting ? NdisStatus.RESET_IN_PROGRESS : validate(nbl);
            if (reject == null) {
                if (sendWaitList.isEmpty() && placeLocked(nbl)) {
                    placed++;
                } else if (sendWaitList.count() < VminiHardware.SEND_WAIT_LIMIT) {
                    sendWaitList.append(nbl);
                } else {
                    reject = NdisStatus.RESOURCES;
                }
            }
            if (reject != null) {
                txDiscards++;
                nbl.setStatus(reject);
                sendsRefused.append(nbl);
            }
            nbl = next;
        }
        if (placed > 0) {
            registers.write32(Registers.TX_TAIL, txTail);
        }
        NetBufferList refused = sendsRefused.takeChain();
        release(sendLock, atDispatch);
        if (refused != null) {
            NdisM.sendNetBufferListsComplete(handle, refused, atDispatch ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
        }
    }

    /**
     * Reaps finished transmit descriptors, completes their NBLs and moves waiting sends into the
     * freed slots. Runs at DISPATCH_LEVEL (the interrupt DPC, on TX_DONE).
     */
    void completeTransmits() {
        Ndis.dprAcquireSpinLock(sendLock);
        NetBufferList done = reapTransmitsLocked(false, NdisStatus.PAUSED);
        int placed = 0;
        while (!sendPaused && !resetting && !sendWaitList.isEmpty() && placeLocked(sendWaitList.peek())) {
            sendWaitList.pop();
            placed++;
        }
        if (placed > 0) {
            registers.write32(Registers.TX_TAIL, txTail);
        }
        Ndis.dprReleaseSpinLock(sendLock);
        if (done != null) {
            NdisM.sendNetBufferListsComplete(handle, done, NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL);
        }
    }

    /** Null when the NBL can be sent, else the status to complete it with. */
    private NdisStatus validate(NetBufferList nbl) {
        int count = 0;
        for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
            if (nb.dataLength() < VminiHardware.MIN_FRAME_LENGTH || nb.dataLength() > config.maxFrameLength()) {
                return NdisStatus.INVALID_LENGTH;
            }
            count++;
        }
        return count == 0 || count >= config.transmitRingSize() ? NdisStatus.INVALID_PARAMETER : null;
    }

    /** Puts every NET_BUFFER of {@code nbl} into the ring, or nothing if it does not fit. */
    private boolean placeLocked(NetBufferList nbl) {
        int needed = 0;
        for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
            needed++;
        }
        if (needed > config.transmitRingSize() - 1 - txInUse) {
            return false;
        }
        nbl.setStatus(NdisStatus.SUCCESS); // until a descriptor of it fails
        for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
            int slot = txTail;
            int length = nb.dataLength();
            rings.copyToTransmitBuffer(slot, nb.data(), nb.dataOffset(), length);
            boolean last = nb.next() == null;
            rings.writeTransmitDescriptor(slot, length, last ? TransmitDescriptor.CMD_REPORT_STATUS : 0);
            tcbNbl[slot] = nbl;
            tcbLast[slot] = last;
            tcbLength[slot] = length;
            txTail = (slot + 1) & txMask;
            txInUse++;
        }
        return true;
    }

    /**
     * Reaps descriptors up to TX_HEAD (reading it is the barrier that makes write-backs visible);
     * with {@code all}, also the ones the device still owns, whose NBLs complete with
     * {@code notSent}. Returns the NBLs to complete.
     */
    private NetBufferList reapTransmitsLocked(boolean all, NdisStatus notSent) {
        int head = all ? txTail : registers.read32(Registers.TX_HEAD);
        while (txNextToReap != head) {
            int slot = txNextToReap;
            NetBufferList nbl = tcbNbl[slot];
            tcbNbl[slot] = null;
            txNextToReap = (slot + 1) & txMask;
            txInUse--;
            txWatch.reaped();
            int status = rings.transmitStatus(slot);
            if ((status & TransmitDescriptor.STATUS_DONE) == 0) {
                nbl.setStatus(notSent); // never sent; the frame was a copy, the NBL can go
            } else if ((status & TX_ERRORS) != 0) {
                txErrors++;
                if (nbl.status() == NdisStatus.SUCCESS) {
                    nbl.setStatus(
                            (status & TransmitDescriptor.STATUS_ERR_NO_CARRIER) != 0
                                    ? NdisStatus.MEDIA_DISCONNECTED
                                    : (status & TransmitDescriptor.STATUS_ERR_LENGTH) != 0
                                            ? NdisStatus.INVALID_LENGTH
                                            : NdisStatus.FAILURE);
                }
            } else {
                countTransmitted(slot);
            }
            if (tcbLast[slot]) {
                sendsDone.append(nbl);
            }
        }
        return sendsDone.takeChain();
    }

    private void countTransmitted(int slot) {
        ByteBuf buffer = rings.transmitBuffers.virtualAddress();
        int at = slot * config.bufferSize();
        int length = tcbLength[slot];
        if ((buffer.getByte(at) & 1) == 0) {
            txDirectedFrames++;
            txDirectedOctets += length;
        } else if (buffer.getInt(at) == -1 && buffer.getShort(at + 4) == -1) {
            txBroadcastFrames++;
            txBroadcastOctets += length;
        } else {
            txMulticastFrames++;
            txMulticastOctets += length;
        }
    }

    /** The transmit counters, read under the lock. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    TransmitCounters transmitCounters() {
        Ndis.acquireSpinLock(sendLock);
        TransmitCounters counters = new TransmitCounters(
                txDirectedFrames,
                txMulticastFrames,
                txBroadcastFrames,
                txDirectedOctets,
                txMulticastOctets,
                txBroadcastOctets,
                txErrors,
                txDiscards);
        Ndis.releaseSpinLock(sendLock);
        return counters;
    }

    // ---- receive -------------------------------------------------------------------------------

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
            if (receivePaused || (status & RX_ERRORS) != 0 || (status & ReceiveDescriptor.STATUS_DONE) == 0) {
                postReceiveLocked(rcb); // an error, or paused: recycle the buffer at once
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

    private void postReceiveLocked(Rcb rcb) {
        int slot = rxTail;
        rings.writeReceiveDescriptor(slot, rcb.index);
        rxSlotRcb[slot] = rcb;
        rxTail = (slot + 1) & rxMask;
        rxPosted++;
    }

    // ---- pause and restart ---------------------------------------------------------------------

    /**
     * The data-path half of MiniportRestart: sends and indications may flow. Runs at PASSIVE_LEVEL.
     */
    void restart() {
        Ndis.acquireSpinLock(receiveLock);
        receivePaused = false;
        Ndis.releaseSpinLock(receiveLock);
        Ndis.acquireSpinLock(sendLock);
        sendPaused = false;
        Ndis.releaseSpinLock(sendLock);
    }

    /**
     * The first step of MiniportPause: from now on {@link #sendNetBufferLists} completes every NBL
     * at once with NDIS_STATUS_PAUSED. Runs at PASSIVE_LEVEL.
     */
    void refuseSends() {
        Ndis.acquireSpinLock(sendLock);
        sendPaused = true;
        Ndis.releaseSpinLock(sendLock);
    }

    /**
     * The data-path half of MiniportPause (new sends are refused, the receive unit is disabled): no
     * more indications; wait for the one in flight and for every indicated NBL to come back (NDIS
     * requires both before the pause completes); complete waiting sends with NDIS_STATUS_PAUSED and
     * finished ones with their status. Runs at PASSIVE_LEVEL.
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

        Ndis.acquireSpinLock(sendLock);
        // The transmit unit finishes every descriptor inside the TAIL write, so this reaps them all;
        // a descriptor it still owned would carry a copy, and its NBL completes with PAUSED.
        NetBufferList done = reapTransmitsLocked(true, NdisStatus.PAUSED);
        txDiscards += sendWaitList.count();
        NetBufferList waiting = sendWaitList.takeChain();
        for (NetBufferList nbl = waiting; nbl != null; nbl = nbl.next()) {
            nbl.setStatus(NdisStatus.PAUSED);
        }
        Ndis.releaseSpinLock(sendLock);
        if (done != null) {
            NdisM.sendNetBufferListsComplete(handle, done, 0);
        }
        if (waiting != null) {
            NdisM.sendNetBufferListsComplete(handle, waiting, 0);
        }
    }

    // ---- check for hang, reset, shutdown and surprise removal ------------------------------------

    /**
     * MiniportCheckForHangEx's test. Runs at PASSIVE_LEVEL. True when a ring had work the driver had not
     * reaped (descriptors in the transmit ring; frames the device wrote past the receive reap position)
     * at three checks in a row and reaped nothing in between ({@link VminiRingWatch}): the unit is
     * wedged or its interrupts stopped. Progress is counted, not read from ring indexes, which come
     * round to the same value on a busy ring.
     */
    boolean hung() {
        Ndis.acquireSpinLock(sendLock);
        boolean txStuck = txWatch.check(txInUse > 0);
        Ndis.releaseSpinLock(sendLock);
        Ndis.acquireSpinLock(receiveLock);
        boolean rxStuck = rxWatch.check(registers.read32(Registers.RX_HEAD) != rxNextToReap);
        Ndis.releaseSpinLock(receiveLock);
        return txStuck || rxStuck;
    }

    /** MiniportResetEx's first step: sends complete with NDIS_STATUS_RESET_IN_PROGRESS. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void beginReset() {
        Ndis.acquireSpinLock(sendLock);
        resetting = true;
        Ndis.releaseSpinLock(sendLock);
    }

    /**
     * The reset work item's job. Runs at PASSIVE_LEVEL. Under both locks (send, then receive): CTRL.RESET
     * through {@link VminiStatistics#resetDevice} (the device forgets the rings, a wedged unit recovers,
     * what its counters held goes to the driver's base), every NBL in the transmit ring or the wait list
     * completes (its status if the device finished it, else NDIS_STATUS_REQUEST_ABORTED, as the WDK's
     * hardware reset asks, counted in ifOutDiscards), frames the device wrote that the driver had not
     * indicated are counted as discarded, both rings are programmed again from slot 0 with the receive
     * buffers that were posted (the ones the stack holds are posted when they come back),
     * {@code programAddressing} writes the station address, multicast table and RCTL again (no frame
     * is filtered for want of them), ITR and MAXFRAME are written again, and the units come back as
     * they were (receive only if not paused).
     */
    void reinitialize(Runnable programAddressing) {
        Ndis.acquireSpinLock(sendLock);
        Ndis.acquireSpinLock(receiveLock);
        statistics.resetDevice();
        NetBufferList done = reapTransmitsLocked(true, NdisStatus.REQUEST_ABORTED);
        for (NetBufferList nbl = done; nbl != null; nbl = nbl.next()) {
            if (nbl.status() == NdisStatus.REQUEST_ABORTED) {
                txDiscards++; // never sent: lost to the reset
            }
        }
        txDiscards += sendWaitList.count();
        NetBufferList waiting = sendWaitList.takeChain();
        for (NetBufferList nbl = waiting; nbl != null; nbl = nbl.next()) {
            nbl.setStatus(NdisStatus.REQUEST_ABORTED);
        }
        txTail = 0;
        txNextToReap = 0;
        txInUse = 0;
        txWatch.restart();
        statistics.discardedByReset(receivedNotReapedLocked());
        Rcb[] posted = new Rcb[config.receiveRingSize()];
        for (int i = 0; i < rxSlotRcb.length; i++) {
            posted[i] = rxSlotRcb[(rxNextToReap + i) & rxMask]; // in ring order, from the reap position
            rxSlotRcb[(rxNextToReap + i) & rxMask] = null;
        }
        rxTail = 0;
        rxNextToReap = 0;
        rxPosted = 0;
        rxWatch.restart();
        programRingsLocked(posted);
        programAddressing.run();
        registers.write32(Registers.ITR, config.interruptThrottleMicros());
        registers.write32(Registers.MAXFRAME, config.maxFrameLength());
        registers.write32(Registers.CTRL, Registers.CTRL_TX_ENABLE | (receivePaused ? 0 : Registers.CTRL_RX_ENABLE));
        resetting = false;
        Ndis.releaseSpinLock(receiveLock);
        Ndis.releaseSpinLock(sendLock);
        if (done != null) {
            NdisM.sendNetBufferListsComplete(handle, done, 0);
        }
        if (waiting != null) {
            NdisM.sendNetBufferListsComplete(handle, waiting, 0);
        }
    }

    /**
     * Frames the device wrote into posted buffers (DONE, no error) past the reap position: after
     * CTRL.RESET the device writes no more, so this counts what the reset is about to take away.
     * Holds receiveLock.
     */
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
     * The NIC is gone (surprise removal) or stopped (shutdown). Runs at PASSIVE_LEVEL. No indication
     * from now on; every send held completes (its status if the device finished it, else
     * NDIS_STATUS_NOT_ACCEPTED) and every later one at once with NDIS_STATUS_NOT_ACCEPTED. Only ring
     * memory is read, no register.
     */
    void deviceGone() {
        Ndis.acquireSpinLock(receiveLock);
        receivePaused = true;
        Ndis.releaseSpinLock(receiveLock);
        Ndis.acquireSpinLock(sendLock);
        deviceGone = true;
        NetBufferList done = reapTransmitsLocked(true, NdisStatus.NOT_ACCEPTED);
        txDiscards += sendWaitList.count();
        NetBufferList waiting = sendWaitList.takeChain();
        for (NetBufferList nbl = waiting; nbl != null; nbl = nbl.next()) {
            nbl.setStatus(NdisStatus.NOT_ACCEPTED);
        }
        Ndis.releaseSpinLock(sendLock);
        if (done != null) {
            NdisM.sendNetBufferListsComplete(handle, done, 0);
        }
        if (waiting != null) {
            NdisM.sendNetBufferListsComplete(handle, waiting, 0);
        }
    }

    private static void acquire(NdisSpinLock lock, boolean atDispatch) {
        if (atDispatch) {
            Ndis.dprAcquireSpinLock(lock);
        } else {
            Ndis.acquireSpinLock(lock);
        }
    }

    private static void release(NdisSpinLock lock, boolean atDispatch) {
        if (atDispatch) {
            Ndis.dprReleaseSpinLock(lock);
        } else {
            Ndis.releaseSpinLock(lock);
        }
    }
}
