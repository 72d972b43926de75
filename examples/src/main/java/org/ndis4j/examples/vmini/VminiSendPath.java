package org.ndis4j.examples.vmini;

import static org.ndis4j.examples.vmini.VminiLocks.acquire;
import static org.ndis4j.examples.vmini.VminiLocks.release;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_FLAGS_DISPATCH_LEVEL;

import io.netty.buffer.ByteBuf;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.ndis.NdisM;
import org.ndis4j.ndis.nbl.NblQueue;
import org.ndis4j.ndis.nbl.NetBuffer;
import org.ndis4j.ndis.nbl.NetBufferList;
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.TransmitDescriptor;

/**
 * The send half of the data path (netvmini's datapath.c send side and its TCBs from tcbrcb.c):
 * MiniportSendNetBufferLists and transmit completion, over the transmit ring of {@link VminiRings}.
 *
 * <pre>
 *  send (≤ DISPATCH)                                      DPC (DISPATCH), after TX_DONE
 *  NBL ─► one copy per NET_BUFFER into transmit buffer ─► device sends at the TAIL write ─►
 *         slot = tail; descriptor; tail++                 reap HEAD: status ─► NBL status ─►
 *         ring full: wait list (bounded), else RESOURCES   NdisMSendNetBufferListsComplete
 *         TX_TAIL written once per call                    then move waiting sends into the ring
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
 * <p>No allocation per frame: the send path reuses the sender's NBLs and the preallocated transmit
 * buffers. {@link VminiDataPath} calls the steps that span both halves (pause, reset, removal,
 * check-for-hang).
 */
final class VminiSendPath {

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

    /**
     * Sends a reset took back, completed once the locks are released: {@code done}, those reaped
     * from the ring, and {@code waiting}, those of the wait list. Either may be null.
     */
    record TakenBack(NetBufferList done, NetBufferList waiting) {}

    private static final int TX_ERRORS = TransmitDescriptor.STATUS_ERR_LENGTH
            | TransmitDescriptor.STATUS_ERR_DMA
            | TransmitDescriptor.STATUS_ERR_NO_CARRIER
            | TransmitDescriptor.STATUS_ERR_FAULT;

    private final NdisMiniportAdapterHandle handle;
    private final RegisterSpace registers;
    private final VminiRings rings;
    /** Sizes from the registry (VminiConfiguration). */
    private final VminiConfiguration config;

    private final int txMask;

    /**
     * Guards the transmit side: the ring indexes, the control blocks, the three send queues,
     * sendPaused and the transmit counters. Taken before {@link VminiReceivePath#receiveLock} when a
     * step needs both (the reset).
     */
    final NdisSpinLock sendLock = Ndis.allocateSpinLock();
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

    /** Allocates the send lock and the TCBs (one per transmit slot). Runs at PASSIVE_LEVEL. */
    VminiSendPath(NdisMiniportAdapterHandle handle, RegisterSpace registers, VminiRings rings) {
        this.handle = handle;
        this.registers = registers;
        this.rings = rings;
        this.config = rings.config;
        this.txMask = config.transmitRingSize() - 1;
        this.tcbNbl = new NetBufferList[config.transmitRingSize()];
        this.tcbLast = new boolean[config.transmitRingSize()];
        this.tcbLength = new int[config.transmitRingSize()];
    }

    /** Frees the send lock. Runs at PASSIVE_LEVEL. */
    void free() {
        Ndis.freeSpinLock(sendLock);
    }

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
                txDiscards += frames(nbl);
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
     * {@code notSent}, each such frame counted once in ifOutDiscards. Returns the NBLs to complete.
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
                txDiscards++; // accepted, then dropped (pause, reset, a NIC gone): this one place counts it
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

    /**
     * Empties the wait list: each NBL gets {@code status}, each of its frames is counted once in
     * ifOutDiscards. Returns them, to complete once the lock is released. Holds sendLock.
     */
    private NetBufferList takeWaitingLocked(NdisStatus status) {
        NetBufferList waiting = sendWaitList.takeChain();
        for (NetBufferList nbl = waiting; nbl != null; nbl = nbl.next()) {
            nbl.setStatus(status);
            txDiscards += frames(nbl);
        }
        return waiting;
    }

    /** The frames (NET_BUFFERs) of {@code nbl}: ifOutDiscards counts frames, as ifHCOutUcastPkts does. */
    private static int frames(NetBufferList nbl) {
        int frames = 0;
        for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
            frames++;
        }
        return frames;
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

    // ---- the send half of pause, restart, check for hang, reset and removal ----------------------

    /** The send half of MiniportRestart: sends may flow. Runs at PASSIVE_LEVEL. */
    void restart() {
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
     * The send half of MiniportPause, once sends are refused: completes waiting sends with
     * NDIS_STATUS_PAUSED and finished ones with their status; every frame not sent is counted once
     * in ifOutDiscards. Runs at PASSIVE_LEVEL.
     */
    void pause() {
        Ndis.acquireSpinLock(sendLock);
        // The transmit unit finishes every descriptor inside the TAIL write, so this reaps them all;
        // a descriptor it still owned would carry a copy, and its NBL completes with PAUSED.
        NetBufferList done = reapTransmitsLocked(true, NdisStatus.PAUSED);
        NetBufferList waiting = takeWaitingLocked(NdisStatus.PAUSED);
        Ndis.releaseSpinLock(sendLock);
        complete(new TakenBack(done, waiting));
    }

    /**
     * The transmit side of MiniportCheckForHangEx's test: descriptors in the ring at three checks in
     * a row, none reaped in between ({@link VminiRingWatch}). Runs at PASSIVE_LEVEL.
     */
    boolean stuck() {
        Ndis.acquireSpinLock(sendLock);
        boolean txStuck = txWatch.check(txInUse > 0);
        Ndis.releaseSpinLock(sendLock);
        return txStuck;
    }

    /** MiniportResetEx's first step: sends complete with NDIS_STATUS_RESET_IN_PROGRESS. Runs at IRQL &lt;= DISPATCH_LEVEL. */
    void beginReset() {
        Ndis.acquireSpinLock(sendLock);
        resetting = true;
        Ndis.releaseSpinLock(sendLock);
    }

    /**
     * The send half of the reset, after CTRL.RESET: every NBL in the transmit ring or the wait list
     * is taken back (its status if the device finished it, else NDIS_STATUS_REQUEST_ABORTED, each
     * frame never sent counted once in ifOutDiscards) and the ring starts again from slot 0. Holds
     * sendLock; the caller completes what this returns once it released the locks ({@link #complete}).
     */
    TakenBack takeBackForResetLocked() {
        NetBufferList done = reapTransmitsLocked(true, NdisStatus.REQUEST_ABORTED);
        NetBufferList waiting = takeWaitingLocked(NdisStatus.REQUEST_ABORTED);
        txTail = 0;
        txNextToReap = 0;
        txInUse = 0;
        txWatch.restart();
        return new TakenBack(done, waiting);
    }

    /** The reset is over: sends are accepted again. Holds sendLock. */
    void endResetLocked() {
        resetting = false;
    }

    /**
     * The NIC is gone (surprise removal) or stopped (shutdown). Runs at PASSIVE_LEVEL. Every send
     * held completes (its status if the device finished it, else NDIS_STATUS_NOT_ACCEPTED) and every
     * later one at once with NDIS_STATUS_NOT_ACCEPTED; each frame not sent counts once in
     * ifOutDiscards. Only ring memory is read, no register.
     */
    void deviceGone() {
        Ndis.acquireSpinLock(sendLock);
        deviceGone = true;
        NetBufferList done = reapTransmitsLocked(true, NdisStatus.NOT_ACCEPTED);
        NetBufferList waiting = takeWaitingLocked(NdisStatus.NOT_ACCEPTED);
        Ndis.releaseSpinLock(sendLock);
        complete(new TakenBack(done, waiting));
    }

    /**
     * Completes sends taken back from the ring, then those taken from the wait list. Runs at
     * PASSIVE_LEVEL, holding no lock.
     */
    void complete(TakenBack takenBack) {
        if (takenBack.done() != null) {
            NdisM.sendNetBufferListsComplete(handle, takenBack.done(), 0);
        }
        if (takenBack.waiting() != null) {
            NdisM.sendNetBufferListsComplete(handle, takenBack.waiting(), 0);
        }
    }
}
