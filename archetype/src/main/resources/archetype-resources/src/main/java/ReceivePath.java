package ${package};

import static ${package}.Locks.acquire;
import static ${package}.Locks.release;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_DEFAULT_PORT_NUMBER;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL;
import static org.ndis4j.ndis.nbl.DataPathFlags.NDIS_RETURN_FLAGS_DISPATCH_LEVEL;

import io.netty.buffer.ByteBuf;
import org.ndis4j.hw.RegisterSpace;
import org.ndis4j.hw.SharedMemory;
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
 * The receive half of the data path (netvmini's datapath.c receive side, its RCBs from tcbrcb.c):
 * receive indication and MiniportReturnNetBufferLists, over the receive ring.
 *
 * <pre>
 *  DPC, RX               the device wrote the frame into a receive control block's buffer, which is
 *                        the memory of that RCB's NBL ─► NdisMIndicateReceiveNetBufferLists
 *  return (≤ DISPATCH)   each RCB's buffer posted again at RX_TAIL
 * </pre>
 *
 * No allocation per frame: one NBL per RCB, made at initialize.
 */
final class ReceivePath {

    private static final int RX_MASK = Hardware.RX_RING_SIZE - 1;
    private static final int RX_ERRORS = ReceiveDescriptor.STATUS_ERR_TOO_SMALL | ReceiveDescriptor.STATUS_ERR_DMA;

    private final NdisMiniportAdapterHandle handle;
    private final RegisterSpace registers;
    private final SharedMemory memory;
    private final NetBufferListPool receivePool;
    /** Receive control block i: receive buffer i, described by this NBL; its MiniportReserved is i. */
    private final NetBufferList[] rcbs = new NetBufferList[Hardware.RCB_COUNT];

    /** Guards the receive side: the ring indexes, which RCB sits in which slot, receivePaused, receivesOutstanding. */
    private final NdisSpinLock receiveLock = Ndis.allocateSpinLock();
    /** Per receive slot: the RCB whose buffer is posted there. */
    private final int[] rxSlotRcb = new int[Hardware.RX_RING_SIZE];

    private int rxTail;
    private int rxNextToReap;
    private boolean receivePaused = true;
    /** NBLs indicated and not returned yet; pause waits for 0. */
    private int receivesOutstanding;

    private final NblQueue received = new NblQueue();
    /** Set when the last outstanding receive comes back while receives are paused. */
    private final NdisEvent receivesReturned = Ndis.initializeEvent();

    private ReceivePath(
            NdisMiniportAdapterHandle handle,
            RegisterSpace registers,
            SharedMemory memory,
            NetBufferListPool receivePool) {
        this.handle = handle;
        this.registers = registers;
        this.memory = memory;
        this.receivePool = receivePool;
    }

    /**
     * Makes the receive NBL pool and one NBL per RCB over its buffer in {@code memory}. Runs at
     * PASSIVE_LEVEL. Returns null, having freed what it made, when NDIS is out of resources.
     */
    static ReceivePath create(NdisMiniportAdapterHandle handle, RegisterSpace registers, SharedMemory memory) {
        NetBufferListPool pool = Ndis.allocateNetBufferListPool(
                handle, NetBufferListPoolParameters.withNetBuffer(Hardware.RECEIVE_POOL_TAG, 0));
        if (pool == null) {
            return null;
        }
        ReceivePath receive = new ReceivePath(handle, registers, memory, pool);
        for (int i = 0; i < Hardware.RCB_COUNT; i++) {
            ByteBuf buffer = memory.virtualAddress().retainedSlice(receiveBufferOffset(i), Hardware.BUFFER_SIZE);
            NetBufferList nbl = Ndis.allocateNetBufferAndNetBufferList(pool, 0, 0, buffer, 0, Hardware.BUFFER_SIZE);
            if (nbl == null) {
                buffer.release();
                receive.free();
                return null;
            }
            nbl.setMiniportReserved(i);
            nbl.setSourceHandle(handle); // NDIS returns an indicated NBL to the adapter this names
            receive.rcbs[i] = nbl;
        }
        return receive;
    }

    /** Frees the RCBs' NBLs (and with them their buffers), the pool and the receive lock. Runs at PASSIVE_LEVEL. */
    void free() {
        for (int i = rcbs.length - 1; i >= 0; i--) {
            if (rcbs[i] != null) {
                Ndis.freeNetBufferList(rcbs[i]);
                rcbs[i] = null;
            }
        }
        Ndis.freeNetBufferListPool(receivePool);
        Ndis.freeSpinLock(receiveLock);
    }

    /** Posts every RCB (the receive ring is programmed, the receive unit off). Runs at PASSIVE_LEVEL. */
    void postAll() {
        Ndis.acquireSpinLock(receiveLock);
        for (int i = 0; i < Hardware.RCB_COUNT; i++) {
            postReceiveLocked(i);
        }
        registers.write32(Registers.RX_TAIL, rxTail);
        Ndis.releaseSpinLock(receiveLock);
    }

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

    // ---- the receive half of pause and restart ---------------------------------------------------

    /** The receive half of MiniportRestart: indications may flow. Runs at PASSIVE_LEVEL. */
    void restart() {
        Ndis.acquireSpinLock(receiveLock);
        receivePaused = false;
        Ndis.releaseSpinLock(receiveLock);
    }

    /**
     * The receive half of MiniportPause (the receive unit is off): no more indications; waits until
     * every indicated NBL came back. Runs at PASSIVE_LEVEL.
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
    }
}
