package org.ndis4j.examples.vmini;

import io.netty.buffer.ByteBuf;
import org.ndis4j.hw.BusMemory;
import org.ndis4j.hw.SharedMemory;
import org.ndis4j.nic.HardwareLimits;
import org.ndis4j.nic.ReceiveDescriptor;
import org.ndis4j.nic.TransmitDescriptor;

/**
 * The descriptor rings and frame buffers in shared memory (netvmini's tcbrcb.c): four blocks
 * allocated from the device's bus memory at initialize and freed at halt, and the descriptor
 * layouts of the datasheet.
 *
 * <pre>
 * transmit descriptor (16 bytes)                       receive descriptor (16 bytes)
 *  0        8        10   11     12                     0        8        10       12     13
 *  +--------+--------+----+------+---------+            +--------+--------+--------+------+-----+
 *  | buffer | length | cmd|status| reserved|            | buffer | buffer | frame  |status| rsvd|
 *  | (u64)  | (u16)  |    |      |         |            | (u64)  | size   | length |      |     |
 *  +--------+--------+----+------+---------+            +--------+--------+--------+------+-----+
 * </pre>
 *
 * Transmit slot {@code i} always uses transmit buffer {@code i} (the one copy of a send). Receive
 * buffers belong to the receive control blocks, not to slots: a buffer is posted wherever the tail
 * is when its NBL comes back. The ring memory is touched only under the data path's locks.
 *
 * <p>NDIS has NdisMAllocateSharedMemory for this; the ndis4j SDK has no such call yet, so vmini
 * allocates from the {@link BusMemory} in its resources directly and frees the blocks in
 * MiniportHaltEx, which is what NdisMFreeSharedMemory would do.
 */
final class VminiRings {

    final SharedMemory transmitRing;
    final SharedMemory transmitBuffers;
    final SharedMemory receiveRing;
    final SharedMemory receiveBuffers;

    private VminiRings(SharedMemory transmitRing, SharedMemory transmitBuffers, SharedMemory receiveRing,
                       SharedMemory receiveBuffers) {
        this.transmitRing = transmitRing;
        this.transmitBuffers = transmitBuffers;
        this.receiveRing = receiveRing;
        this.receiveBuffers = receiveBuffers;
    }

    /**
     * Allocates the four blocks. Runs at PASSIVE_LEVEL (MiniportInitializeEx). Returns null, having
     * freed whatever it got, when the bus has no memory left.
     */
    static VminiRings allocate(BusMemory memory) {
        SharedMemory[] blocks = new SharedMemory[4];
        int[] lengths = {
                VminiHardware.TX_RING_SIZE * HardwareLimits.DESCRIPTOR_LENGTH,
                VminiHardware.TX_RING_SIZE * VminiHardware.BUFFER_SIZE,
                VminiHardware.RX_RING_SIZE * HardwareLimits.DESCRIPTOR_LENGTH,
                VminiHardware.RCB_COUNT * VminiHardware.BUFFER_SIZE};
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = memory.allocate(lengths[i]);
            if (blocks[i] == null) {
                for (int j = i - 1; j >= 0; j--) {
                    memory.free(blocks[j]);
                }
                return null;
            }
        }
        return new VminiRings(blocks[0], blocks[1], blocks[2], blocks[3]);
    }

    /** Frees the blocks in reverse order of allocation. Runs at PASSIVE_LEVEL (MiniportHaltEx). */
    void free(BusMemory memory) {
        memory.free(receiveBuffers);
        memory.free(receiveRing);
        memory.free(transmitBuffers);
        memory.free(transmitRing);
    }

    // ---- transmit ----------------------------------------------------------------------------

    /** Copies a frame into transmit buffer {@code slot}: the one copy of the send path. */
    void copyToTransmitBuffer(int slot, ByteBuf frame, int offset, int length) {
        transmitBuffers.virtualAddress().setBytes(slot * VminiHardware.BUFFER_SIZE, frame, offset, length);
    }

    /** Fills transmit descriptor {@code slot} for its own buffer; status cleared. */
    void writeTransmitDescriptor(int slot, int length, int command) {
        ByteBuf ring = transmitRing.virtualAddress();
        int at = TransmitDescriptor.offset(slot);
        ring.setLongLE(at + TransmitDescriptor.ADDRESS_OFFSET,
                transmitBuffers.physicalAddress(slot * VminiHardware.BUFFER_SIZE));
        ring.setShortLE(at + TransmitDescriptor.LENGTH_OFFSET, length);
        ring.setByte(at + TransmitDescriptor.COMMAND_OFFSET, command);
        ring.setByte(at + TransmitDescriptor.STATUS_OFFSET, 0);
    }

    /** The status the device wrote back into transmit descriptor {@code slot}. */
    int transmitStatus(int slot) {
        return transmitRing.virtualAddress().getUnsignedByte(TransmitDescriptor.offset(slot)
                + TransmitDescriptor.STATUS_OFFSET);
    }

    // ---- receive -----------------------------------------------------------------------------

    /** Offset of receive control block {@code index}'s buffer in {@link #receiveBuffers}. */
    static int receiveBufferOffset(int index) {
        return index * VminiHardware.BUFFER_SIZE;
    }

    /** Posts receive control block {@code index}'s buffer in descriptor {@code slot}; status cleared. */
    void writeReceiveDescriptor(int slot, int index) {
        ByteBuf ring = receiveRing.virtualAddress();
        int at = ReceiveDescriptor.offset(slot);
        ring.setLongLE(at + ReceiveDescriptor.ADDRESS_OFFSET, receiveBuffers.physicalAddress(receiveBufferOffset(index)));
        ring.setShortLE(at + ReceiveDescriptor.BUFFER_SIZE_OFFSET, VminiHardware.BUFFER_SIZE);
        ring.setShortLE(at + ReceiveDescriptor.FRAME_LENGTH_OFFSET, 0);
        ring.setByte(at + ReceiveDescriptor.STATUS_OFFSET, 0);
    }

    /** The status the device wrote back into receive descriptor {@code slot}. */
    int receiveStatus(int slot) {
        return receiveRing.virtualAddress().getUnsignedByte(ReceiveDescriptor.offset(slot)
                + ReceiveDescriptor.STATUS_OFFSET);
    }

    /** The frame length the device wrote back into receive descriptor {@code slot}. */
    int receiveFrameLength(int slot) {
        return receiveRing.virtualAddress().getUnsignedShortLE(ReceiveDescriptor.offset(slot)
                + ReceiveDescriptor.FRAME_LENGTH_OFFSET);
    }
}
