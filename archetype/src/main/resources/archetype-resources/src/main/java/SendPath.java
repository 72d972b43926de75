package ${package};

import static ${package}.Locks.acquire;
import static ${package}.Locks.release;
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
import org.ndis4j.ndis.types.NdisMiniportAdapterHandle;
import org.ndis4j.ndis.types.NdisSpinLock;
import org.ndis4j.ndis.types.NdisStatus;
import org.ndis4j.nic.regs.Registers;
import org.ndis4j.nic.regs.TransmitDescriptor;

/**
 * The send half of the data path (netvmini's datapath.c send side, its TCBs from tcbrcb.c):
 * MiniportSendNetBufferLists and transmit completion, over the transmit ring.
 *
 * <pre>
 *  send (≤ DISPATCH)     each NET_BUFFER copied into the transmit buffer of the tail slot,
 *                        descriptor written, TX_TAIL once per call; ring full ─► NDIS_STATUS_RESOURCES
 *  DPC, TX_DONE          reap up to TX_HEAD ─► NdisMSendNetBufferListsComplete
 * </pre>
 *
 * No allocation per frame: sends reuse the sender's NBLs and the transmit buffers in shared memory.
 */
final class SendPath {

    private static final int TX_MASK = Hardware.TX_RING_SIZE - 1;
    private static final int TX_ERRORS = TransmitDescriptor.STATUS_ERR_LENGTH
            | TransmitDescriptor.STATUS_ERR_DMA
            | TransmitDescriptor.STATUS_ERR_NO_CARRIER
            | TransmitDescriptor.STATUS_ERR_FAULT;

    private final NdisMiniportAdapterHandle handle;
    private final RegisterSpace registers;
    private final SharedMemory memory;

    /** Guards the transmit side: the ring indexes, the TCBs, sendPaused and the completion queues. */
    private final NdisSpinLock sendLock = Ndis.allocateSpinLock();
    /** Per transmit slot (a TCB): the NBL whose NET_BUFFER it carries, and whether that is its last one. */
    private final NetBufferList[] tcbNbl = new NetBufferList[Hardware.TX_RING_SIZE];

    private final boolean[] tcbLast = new boolean[Hardware.TX_RING_SIZE];
    private int txTail;
    private int txNextToReap;
    private int txInUse;
    private boolean sendPaused = true;
    private final NblQueue sendsRefused = new NblQueue();
    private final NblQueue sendsDone = new NblQueue();

    /** Allocates the send lock. Runs at PASSIVE_LEVEL. */
    SendPath(NdisMiniportAdapterHandle handle, RegisterSpace registers, SharedMemory memory) {
        this.handle = handle;
        this.registers = registers;
        this.memory = memory;
    }

    /** Frees the send lock. Runs at PASSIVE_LEVEL. */
    void free() {
        Ndis.freeSpinLock(sendLock);
    }

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
     * NDIS_STATUS_PAUSED. Returns the NBLs to complete. Holds sendLock.
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

    // ---- the send half of pause and restart ------------------------------------------------------

    /** The send half of MiniportRestart: sends may flow. Runs at PASSIVE_LEVEL. */
    void restart() {
        Ndis.acquireSpinLock(sendLock);
        sendPaused = false;
        Ndis.releaseSpinLock(sendLock);
    }

    /** MiniportPause's first step: every send from now on completes with NDIS_STATUS_PAUSED. Runs at PASSIVE_LEVEL. */
    void refuseSends() {
        Ndis.acquireSpinLock(sendLock);
        sendPaused = true;
        Ndis.releaseSpinLock(sendLock);
    }

    /**
     * The send half of MiniportPause, once sends are refused: completes every send in the ring. Runs at
     * PASSIVE_LEVEL.
     */
    void pause() {
        Ndis.acquireSpinLock(sendLock);
        // The transmit unit finishes the ring at each TAIL write, so this reaps every descriptor.
        NetBufferList done = reapTransmitsLocked(txTail);
        Ndis.releaseSpinLock(sendLock);
        if (done != null) {
            NdisM.sendNetBufferListsComplete(handle, done, 0);
        }
    }
}
