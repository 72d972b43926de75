package ${package};

import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_SEND_FLAGS_DISPATCH_LEVEL;

import io.netty.buffer.ByteBuf;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.hw.SharedMemory;
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
 * The data path (netvmini's datapath.c): sends into the transmit ring, their completion, receive
 * indications from the receive ring, and the return of indicated NBLs.
 *
 * <pre>
 *  send (≤ DISPATCH)     each NET_BUFFER copied into the transmit buffer of the tail slot,
 *                        descriptor written, TX_TAIL once per call; ring full ─► NDIS_STATUS_RESOURCES
 *  DPC, TX_DONE          reap up to TX_HEAD ─► NdisMSendNetBufferListsComplete
 *  DPC, RX               the device wrote the frame into a receive control block's buffer, which is
 *                        the memory of that RCB's NBL ─► NdisMIndicateReceiveNetBufferLists
 *  return (≤ DISPATCH)   each RCB's buffer posted again at RX_TAIL
 * </pre>
 *
 * No allocation per frame: one NBL per RCB, made at initialize; sends reuse the sender's NBLs.
 */
final class DataPath {

    private static final int TX_MASK = Hardware.TX_RING_SIZE - 1;
    private static final int RX_MASK = Hardware.RX_RING_SIZE - 1;
    private static final int TX_ERRORS = TransmitDescriptor.STATUS_ERR_LENGTH
            | TransmitDescriptor.STATUS_ERR_DMA
            | TransmitDescriptor.STATUS_ERR_NO_CARRIER
            | TransmitDescriptor.STATUS_ERR_FAULT;
    private static final int RX_ERRORS = ReceiveDescriptor.STATUS_ERR_TOO_SMALL | ReceiveDescriptor.STATUS_ERR_DMA;

    private final NdisMiniportAdapterHandle handle;
    private final RegisterSpace registers;
    private final SharedMemory memory;
    private final NetBufferListPool receivePool;
    /** Receive control block i: receive buffer i, described by this NBL; its MiniportReserved is i. */
    private final NetBufferList[] rcbs = new NetBufferList[Hardware.RCB_COUNT];

    /** Guards the transmit side: the fields down to sendsDone. */
    private final NdisSpinLock sendLock;
    /** Per transmit slot: the NBL whose NET_BUFFER it carries, and whether that is its last one. */
    private final NetBufferList[] tcbNbl = new NetBufferList[Hardware.TX_RING_SIZE];

    private final boolean[] tcbLast = new boolean[Hardware.TX_RING_SIZE];
    private int txTail;
    private int txNextToReap;
    private int txInUse;
    private boolean sendPaused = true;
    private final NblQueue sendsRefused = new NblQueue();
    private final NblQueue sendsDone = new NblQueue();

    /** Guards the receive side: the fields down to received. */
    private final NdisSpinLock receiveLock;
    /** Per receive slot: the RCB whose buffer is posted there. */
    private final int[] rxSlotRcb = new int[Hardware.RX_RING_SIZE];

    private int rxTail;
    private int rxNextToReap;
    private boolean receivePaused = true;
    /** NBLs indicated and not returned yet; pause waits for 0. */
    private int receivesOutstanding;

    private final NblQueue received = new NblQueue();
    /** Set when the last outstanding receive comes back while receives are paused. */
    private final NdisEvent receivesReturned;

    private DataPath(
            NdisMiniportAdapterHandle handle,
            RegisterSpace registers,
            SharedMemory memory,
            NetBufferListPool receivePool) {
        this.handle = handle;
        this.registers = registers;
        this.memory = memory;
        this.receivePool = receivePool;
        this.sendLock = Ndis.allocateSpinLock();
        this.receiveLock = Ndis.allocateSpinLock();
        this.receivesReturned = Ndis.initializeEvent();
    }

    /**
     * Makes the receive NBL pool and one NBL per RCB over its buffer in {@code memory}. Runs at
     * PASSIVE_LEVEL. Returns null, having freed what it made, when NDIS is out of resources.
     */
    static DataPath create(NdisMiniportAdapterHandle handle, RegisterSpace registers, SharedMemory memory) {
        NetBufferListPool pool = Ndis.allocateNetBufferListPool(
                handle, NetBufferListPoolParameters.withNetBuffer(Hardware.RECEIVE_POOL_TAG, 0));
        if (pool == null) {
            return null;
        }
        DataPath dataPath = new DataPath(handle, registers, memory, pool);
        for (int i = 0; i < Hardware.RCB_COUNT; i++) {
            ByteBuf buffer = memory.virtualAddress().retainedSlice(receiveBufferOffset(i), Hardware.BUFFER_SIZE);
            NetBufferList nbl = Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, buffer, 0, Hardware.BUFFER_SIZE);
            if (nbl == null) {
                buffer.release();
                dataPath.free();
                return null;
            }
            nbl.setMiniportReserved(i);
            nbl.setSourceHandle(handle); // NDIS returns an indicated NBL to the adapter this names
            dataPath.rcbs[i] = nbl;
        }
        return dataPath;
    }

    /** Frees the RCBs' NBLs (and with them their buffers), the pool and the locks. Runs at PASSIVE_LEVEL. */
    void free() {
        for (int i = rcbs.length - 1; i >= 0; i--) {
            if (rcbs[i] != null) {
                Ndis.freeNetBufferList(rcbs[i]);
                rcbs[i] = null;
            }
        }
        Ndis.freeNetBufferListPool(receivePool);
        Ndis.freeSpinLock(receiveLock);
        Ndis.freeSpinLock(sendLock);
    }

    /** Programs both rings and posts every RCB; the device's units are off. Runs at PASSIVE_LEVEL. */
    void programRings() {
        Hardware.programRing(
                registers,
                Registers.TX_BASE_LO,
                memory.physicalAddress(Hardware.TX_RING_OFFSET),
                Hardware.TX_RING_SIZE);
        Hardware.programRing(
                registers,
                Registers.RX_BASE_LO,
                memory.physicalAddress(Hardware.RX_RING_OFFSET),
                Hardware.RX_RING_SIZE);
        Ndis.acquireSpinLock(receiveLock);
        for (int i = 0; i < Hardware.RCB_COUNT; i++) {
            postReceiveLocked(i);
        }
        registers.write32(Registers.RX_TAIL, rxTail);
        Ndis.releaseSpinLock(receiveLock);
    }

    // ---- send ------------------------------------------------------------------------------------

    /**
     * MiniportSendNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL (NDIS_SEND_FLAGS_DISPATCH_LEVEL says
     * which). Each NBL goes into the ring whole, or completes at once with the reason it did not.
     */
    void sendNetBufferLists(NetBufferList netBufferLists, int sendFlags) {
        boolean atDispatch = (sendFlags & NDIS_SEND_FLAGS_DISPATCH_LEVEL) != 0;
        acquire(sendLock, atDispatch);
        int placed = 0;
        NetBufferList nbl = netBufferLists;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            NdisStatus status = sendPaused ? NdisStatus.PAUSED : placeLocked(nbl);
            if (status == NdisStatus.SUCCESS) {
                placed++;
            } else {
                nbl.setStatus(status);
                sendsRefused.append(nbl);
            }
            nbl = next;
        }
        if (placed > 0) {
            registers.write32(Registers.TX_TAIL, txTail); // the device sends what lies before the tail
        }
        NetBufferList refused = sendsRefused.takeChain();
        release(sendLock, atDispatch);
        if (refused != null) {
            NdisM.sendNetBufferListsComplete(handle, refused, atDispatch ? NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL : 0);
        }
    }

    /** Puts every NET_BUFFER of {@code nbl} into the ring (one copy each), or none of them. */
    private NdisStatus placeLocked(NetBufferList nbl) {
        int needed = 0;
        for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
            if (nb.dataLength() < Hardware.MIN_FRAME_LENGTH || nb.dataLength() > Hardware.MAX_FRAME_LENGTH) {
                return NdisStatus.INVALID_LENGTH;
            }
            needed++;
        }
        if (needed == 0) {
            return NdisStatus.INVALID_PARAMETER;
        }
        if (needed > Hardware.TX_RING_SIZE - 1 - txInUse) {
            return NdisStatus.RESOURCES; // a driver for a busier device would queue it until TX_DONE
        }
        nbl.setStatus(NdisStatus.SUCCESS); // until one of its descriptors fails
        ByteBuf ring = memory.virtualAddress();
        for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
            int slot = txTail;
            int bufferOffset = Hardware.TX_BUFFERS_OFFSET + slot * Hardware.BUFFER_SIZE;
            ring.setBytes(bufferOffset, nb.data(), nb.dataOffset(), nb.dataLength());
            int at = Hardware.TX_RING_OFFSET + TransmitDescriptor.offset(slot);
            ring.setLongLE(at + TransmitDescriptor.ADDRESS_OFFSET, memory.physicalAddress(bufferOffset));
            ring.setShortLE(at + TransmitDescriptor.LENGTH_OFFSET, nb.dataLength());
            ring.setByte(at + TransmitDescriptor.COMMAND_OFFSET, TransmitDescriptor.CMD_REPORT_STATUS);
            ring.setByte(at + TransmitDescriptor.STATUS_OFFSET, 0);
            tcbNbl[slot] = nbl;
            tcbLast[slot] = nb.next() == null;
            txTail = (slot + 1) & TX_MASK;
            txInUse++;
        }
        return NdisStatus.SUCCESS;
    }

    /** Completes the sends the device finished. Runs at DISPATCH_LEVEL (the DPC, on TX_DONE). */
    void completeTransmits() {
        Ndis.dprAcquireSpinLock(sendLock);
        NetBufferList done = reapTransmitsLocked(registers.read32(Registers.TX_HEAD));
        Ndis.dprReleaseSpinLock(sendLock);
        if (done != null) {
            NdisM.sendNetBufferListsComplete(handle, done, NDIS_SEND_COMPLETE_FLAGS_DISPATCH_LEVEL);
        }
    }

    /**
     * Reaps the descriptors before {@code head}; one the device did not finish completes its NBL with
     * NDIS_STATUS_PAUSED. Returns the NBLs to complete.
     */
    private NetBufferList reapTransmitsLocked(int head) {
        ByteBuf ring = memory.virtualAddress();
        while (txNextToReap != head) {
            int slot = txNextToReap;
            NetBufferList nbl = tcbNbl[slot];
            tcbNbl[slot] = null;
            txNextToReap = (slot + 1) & TX_MASK;
            txInUse--;
            int status = ring.getUnsignedByte(
                    Hardware.TX_RING_OFFSET + TransmitDescriptor.offset(slot) + TransmitDescriptor.STATUS_OFFSET);
            if ((status & TransmitDescriptor.STATUS_DONE) == 0) {
                nbl.setStatus(NdisStatus.PAUSED);
            } else if ((status & TX_ERRORS) != 0) {
                nbl.setStatus(NdisStatus.FAILURE);
            }
            if (tcbLast[slot]) {
                sendsDone.append(nbl);
            }
        }
        return sendsDone.takeChain();
    }

    // ---- receive ---------------------------------------------------------------------------------

    /**
     * Indicates up to {@code maxNbls} received frames in one call. Runs at DISPATCH_LEVEL (the DPC, on
     * RX). Returns true when more finished descriptors are waiting (MoreNblsPending).
     */
    boolean indicateReceives(int maxNbls) {
        ByteBuf ring = memory.virtualAddress();
        boolean reposted = false;
        Ndis.dprAcquireSpinLock(receiveLock);
        int head = registers.read32(Registers.RX_HEAD);
        while (rxNextToReap != head && received.count() < maxNbls) {
            int slot = rxNextToReap;
            int rcb = rxSlotRcb[slot];
            rxNextToReap = (slot + 1) & RX_MASK;
            int at = Hardware.RX_RING_OFFSET + ReceiveDescriptor.offset(slot);
            int status = ring.getUnsignedByte(at + ReceiveDescriptor.STATUS_OFFSET);
            if (receivePaused || (status & RX_ERRORS) != 0 || (status & ReceiveDescriptor.STATUS_DONE) == 0) {
                postReceiveLocked(rcb); // a bad frame, or paused: the buffer goes straight back
                reposted = true;
                continue;
            }
            rcbs[rcb]
                    .firstNetBuffer()
                    .setDataLength(ring.getUnsignedShortLE(at + ReceiveDescriptor.FRAME_LENGTH_OFFSET));
            received.append(rcbs[rcb]);
        }
        int count = received.count();
        NetBufferList chain = received.takeChain();
        receivesOutstanding += count; // before the call: the stack may return them inside it
        if (reposted) {
            registers.write32(Registers.RX_TAIL, rxTail);
        }
        boolean more = rxNextToReap != head;
        Ndis.dprReleaseSpinLock(receiveLock);
        if (count > 0) {
            NdisM.indicateReceiveNetBufferLists(
                    handle, chain, NDIS_DEFAULT_PORT_NUMBER, count, NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL);
        }
        return more;
    }

    /**
     * MiniportReturnNetBufferLists. Runs at IRQL &lt;= DISPATCH_LEVEL (NDIS_RETURN_FLAGS_DISPATCH_LEVEL
     * says which). Posts each RCB's buffer again.
     */
    void returnNetBufferLists(NetBufferList netBufferLists, int returnFlags) {
        boolean atDispatch = (returnFlags & NDIS_RETURN_FLAGS_DISPATCH_LEVEL) != 0;
        acquire(receiveLock, atDispatch);
        NetBufferList nbl = netBufferLists;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            postReceiveLocked((Integer) nbl.miniportReserved());
            receivesOutstanding--;
            nbl = next;
        }
        registers.write32(Registers.RX_TAIL, rxTail);
        boolean drained = receivePaused && receivesOutstanding == 0;
        release(receiveLock, atDispatch);
        if (drained) {
            Ndis.setEvent(receivesReturned); // a pause waits for its receives to come back
        }
    }

    /** Posts RCB {@code rcb}'s buffer in the descriptor at the receive tail. Holds receiveLock. */
    private void postReceiveLocked(int rcb) {
        int slot = rxTail;
        int at = Hardware.RX_RING_OFFSET + ReceiveDescriptor.offset(slot);
        ByteBuf ring = memory.virtualAddress();
        ring.setLongLE(at + ReceiveDescriptor.ADDRESS_OFFSET, memory.physicalAddress(receiveBufferOffset(rcb)));
        ring.setShortLE(at + ReceiveDescriptor.BUFFER_SIZE_OFFSET, Hardware.BUFFER_SIZE);
        ring.setShortLE(at + ReceiveDescriptor.FRAME_LENGTH_OFFSET, 0);
        ring.setByte(at + ReceiveDescriptor.STATUS_OFFSET, 0);
        rxSlotRcb[slot] = rcb;
        rxTail = (slot + 1) & RX_MASK;
    }

    private static int receiveBufferOffset(int rcb) {
        return Hardware.RX_BUFFERS_OFFSET + rcb * Hardware.BUFFER_SIZE;
    }

    // ---- pause and restart -----------------------------------------------------------------------

    /** The data-path half of MiniportRestart: sends and indications may flow. Runs at PASSIVE_LEVEL. */
    void restart() {
        Ndis.acquireSpinLock(receiveLock);
        receivePaused = false;
        Ndis.releaseSpinLock(receiveLock);
        Ndis.acquireSpinLock(sendLock);
        sendPaused = false;
        Ndis.releaseSpinLock(sendLock);
    }

    /** MiniportPause's first step: every send from now on completes with NDIS_STATUS_PAUSED. */
    void refuseSends() {
        Ndis.acquireSpinLock(sendLock);
        sendPaused = true;
        Ndis.releaseSpinLock(sendLock);
    }

    /**
     * The data-path half of MiniportPause (the receive unit is off): no more indications, wait until
     * every indicated NBL came back, complete every send in the ring. Runs at PASSIVE_LEVEL.
     */
    void pause() {
        Ndis.resetEvent(receivesReturned);
        Ndis.acquireSpinLock(receiveLock);
        receivePaused = true;
        boolean wait = receivesOutstanding > 0;
        Ndis.releaseSpinLock(receiveLock);
        if (wait) {
            Ndis.waitEvent(receivesReturned, 0);
        }
        Ndis.acquireSpinLock(sendLock);
        // The transmit unit finishes the ring at each TAIL write, so this reaps every descriptor.
        NetBufferList done = reapTransmitsLocked(txTail);
        Ndis.releaseSpinLock(sendLock);
        if (done != null) {
            NdisM.sendNetBufferListsComplete(handle, done, 0);
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
